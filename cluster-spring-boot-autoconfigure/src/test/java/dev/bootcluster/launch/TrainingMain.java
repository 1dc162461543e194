package dev.bootcluster.launch;

/**
 * The application of a training run in tests: loads a class of its own and ends as its
 * argument says: {@code ok}, {@code exit=N} or {@code sleep=SECONDS}.
 */
public final class TrainingMain {

	private TrainingMain() {
	}

	public static void main(String[] args) throws Exception {
		String behaviour = (args.length > 0) ? args[0] : "ok";
		System.out.println("training " + behaviour + " " + Loaded.class.getName());
		if (behaviour.startsWith("exit=")) {
			System.exit(Integer.parseInt(behaviour.substring("exit=".length())));
		}
		if (behaviour.startsWith("sleep=")) {
			Thread.sleep(Long.parseLong(behaviour.substring("sleep=".length())) * 1000);
		}
	}

	/** A class the cache keeps. */
	static final class Loaded {

	}

}
