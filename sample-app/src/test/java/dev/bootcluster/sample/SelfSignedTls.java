package dev.bootcluster.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-signed PKCS12 keystore for {@code localhost} and {@code 127.0.0.1}, made by the
 * JDK's keytool for a test, and a client that trusts it.
 */
final class SelfSignedTls {

	static final String PASSWORD = "changeit";

	private final Path keyStore;

	private final SSLContext client;

	private SelfSignedTls(Path keyStore, SSLContext client) {
		this.keyStore = keyStore;
		this.client = client;
	}

	static SelfSignedTls create(Path directory) throws IOException, InterruptedException, GeneralSecurityException {
		Path keyStore = directory.resolve("server.p12");
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
				"-keypass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("keytool: " + output).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return new SelfSignedTls(keyStore, context);
	}

	Path keyStore() {
		return this.keyStore;
	}

	/**
	 * {@code GET} over HTTP/2 and TLS on a connection of its own.
	 */
	HttpResponse<String> getOverHttp2(URI uri) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder()
			.sslContext(this.client)
			.version(HttpClient.Version.HTTP_2)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * {@code GET} over HTTP/1.1 and TLS on a connection of its own, as a load that is
	 * cheap to repeat.
	 * @return the whole response, headers included
	 */
	String get(int port, String path) throws IOException {
		try (SSLSocket socket = (SSLSocket) this.client.getSocketFactory().createSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
