import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that every class, method and field the compiled starter refers to outside the JDK
 * exists on another classpath: the starter is compiled against the newest supported Spring
 * Boot, and this proves it links against the oldest (a method overload that only the newer
 * Jackson has compiles and then fails with {@code NoSuchMethodError} at runtime).
 * <p>
 * {@code java BootApiCheck.java <classes directory> <classpath file>}: the classpath file is
 * what {@code dependency:build-classpath} writes. Exits 1 and lists what is missing.
 */
public class BootApiCheck {

	private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w$]+(?:/[\\w$]+)+)[;<]");

	private static final Pattern CLASS_NAME = Pattern.compile("(?:org|io|tools|jakarta)(?:\\.[a-z][\\w]*)+\\.[A-Z][\\w$]*");

	public static void main(String[] args) throws Exception {
		Path classes = Path.of(args[0]);
		List<URL> urls = new ArrayList<>();
		urls.add(classes.toUri().toURL());
		for (String entry : Files.readString(Path.of(args[1])).trim().split(java.io.File.pathSeparator)) {
			urls.add(Path.of(entry).toUri().toURL());
		}
		Set<String> missing = new TreeSet<>();
		int references = 0;
		try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
				Stream<Path> files = Files.walk(classes)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".class")).toList()) {
				try (InputStream in = Files.newInputStream(file)) {
					for (String[] ref : references(new DataInputStream(in))) {
						if (external(ref[1])) {
							references++;
							String problem = check(loader, ref);
							if (problem != null) {
								missing.add(problem + "  (used by " + classes.relativize(file) + ")");
							}
						}
					}
				}
			}
		}
		missing.forEach(System.out::println);
		System.out.println(references + " references outside the JDK checked against " + args[1] + ": "
				+ missing.size() + " missing");
		System.exit(missing.isEmpty() ? 0 : 1);
	}

	/** The JDK's own API is checked by {@code --release}; polymorphic signatures have no descriptor. */
	private static boolean external(String owner) {
		return !owner.startsWith("[") && !owner.startsWith("java/") && !owner.startsWith("javax/")
				&& !owner.startsWith("jdk/") && !owner.startsWith("sun/") && !owner.startsWith("dev/bootcluster/");
	}

	private static String check(ClassLoader loader, String[] ref) {
		String owner = ref[1].replace('/', '.');
		Class<?> type;
		try {
			type = Class.forName(owner, false, loader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return "class " + owner;
		}
		if (ref[0].equals("class")) {
			return null;
		}
		String name = ref[2];
		String descriptor = ref[3];
		boolean found = ref[0].equals("field") ? hasField(type, name, descriptor) : hasMethod(type, name, descriptor);
		return found ? null : ref[0] + " " + owner + "." + name + descriptor;
	}

	private static boolean hasField(Class<?> type, String name, String descriptor) {
		for (Class<?> candidate : hierarchy(type)) {
			for (Field field : candidate.getDeclaredFields()) {
				if (field.getName().equals(name) && field.getType().descriptorString().equals(descriptor)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean hasMethod(Class<?> type, String name, String descriptor) {
		if (name.equals("<init>")) {
			for (Constructor<?> constructor : type.getDeclaredConstructors()) {
				if (MethodType.methodType(void.class, constructor.getParameterTypes())
					.toMethodDescriptorString()
					.equals(descriptor)) {
					return true;
				}
			}
			return false;
		}
		List<Class<?>> candidates = hierarchy(type);
		candidates.add(Object.class);
		for (Class<?> candidate : candidates) {
			for (Method method : candidate.getDeclaredMethods()) {
				if (method.getName().equals(name) && MethodType
					.methodType(method.getReturnType(), method.getParameterTypes())
					.toMethodDescriptorString()
					.equals(descriptor)) {
					return true;
				}
			}
		}
		return false;
	}

	private static List<Class<?>> hierarchy(Class<?> type) {
		List<Class<?>> result = new ArrayList<>();
		Set<Class<?>> seen = new HashSet<>();
		Deque<Class<?>> pending = new ArrayDeque<>(List.of(type));
		while (!pending.isEmpty()) {
			Class<?> candidate = pending.poll();
			if (seen.add(candidate)) {
				result.add(candidate);
				if (candidate.getSuperclass() != null) {
					pending.add(candidate.getSuperclass());
				}
				pending.addAll(Arrays.asList(candidate.getInterfaces()));
			}
		}
		return result;
	}

	/** Each as {kind, owner, name, descriptor}, read from the class file's constant pool. */
	private static List<String[]> references(DataInputStream in) throws IOException {
		in.readInt();
		in.readUnsignedShort();
		in.readUnsignedShort();
		int count = in.readUnsignedShort();
		int[] tags = new int[count];
		int[] first = new int[count];
		int[] second = new int[count];
		String[] utf8 = new String[count];
		for (int i = 1; i < count; i++) {
			tags[i] = in.readUnsignedByte();
			switch (tags[i]) {
				case 1 -> utf8[i] = in.readUTF();
				case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
				case 9, 10, 11, 12, 17, 18 -> {
					first[i] = in.readUnsignedShort();
					second[i] = in.readUnsignedShort();
				}
				case 15 -> {
					in.readUnsignedByte();
					first[i] = in.readUnsignedShort();
				}
				case 3, 4 -> in.readInt();
				case 5, 6 -> {
					in.readLong();
					i++;
				}
				default -> throw new IOException("Unknown constant pool tag " + tags[i]);
			}
		}
		List<String[]> result = new ArrayList<>();
		for (int i = 1; i < count; i++) {
			if (tags[i] == 7) {
				result.add(new String[] { "class", utf8[first[i]], null, null });
			}
			else if (tags[i] == 1) {
				// types in descriptors and signatures, and annotation values such as
				// @AutoConfiguration(before = ...class)
				Matcher type = TYPE_IN_DESCRIPTOR.matcher(utf8[i]);
				while (type.find()) {
					result.add(new String[] { "class", type.group(1), null, null });
				}
			}
			else if (tags[i] == 8 && CLASS_NAME.matcher(utf8[first[i]]).matches()) {
				// a class named in a string: ClassUtils.isPresent(...), afterName = ...
				result.add(new String[] { "class", utf8[first[i]].replace('.', '/'), null, null });
			}
			else if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
				String owner = utf8[first[first[i]]];
				int nameAndType = second[i];
				result.add(new String[] { (tags[i] == 9) ? "field" : "method", owner, utf8[first[nameAndType]],
						utf8[second[nameAndType]] });
			}
		}
		return result;
	}

}
