package dev.bootcluster.socket;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SharedConnectors} with {@link InheritedWorkerSocket} and
 * {@link RelayedWorkerSocket}, and for {@link ConnectorCopy}: a worker's additional
 * connectors are made anew on the shared-socket protocol with what the application
 * configured, listening where the primary shares them.
 */
class SharedConnectorsTests {

	private static final byte[] REQUEST = "GET /nothing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
		.getBytes(StandardCharsets.US_ASCII);

	@Test
	void inRelayModeEveryConnectorListensOnALoopbackPortOfItsOwnWithItsSettingsKept() {
		Connector redirect = new Connector();
		redirect.setPort(8081);
		redirect.setScheme("http");
		redirect.setRedirectPort(8443);
		redirect.setMaxPostSize(1234);
		redirect.setProperty("maxThreads", "17");
		redirect.setProperty("socket.rxBufSize", "54321");
		redirect.setProperty("connectionTimeout", "7000");
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(8443);
		factory.addAdditionalConnectors(redirect);
		relay().postProcessAfterInitialization(factory, "factory");
		assertThat(factory.getPort()).as("the main connector's port").isZero();
		assertThat(factory.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
		Connector shared = factory.getAdditionalConnectors().get(0);
		SharedSocketProtocol protocol = (SharedSocketProtocol) shared.getProtocolHandler();
		assertThat(shared.getPort()).isZero();
		assertThat(protocol.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(shared.getScheme()).isEqualTo("http");
		assertThat(shared.getRedirectPort()).isEqualTo(8443);
		assertThat(shared.getMaxPostSize()).isEqualTo(1234);
		assertThat(protocol.getMaxThreads()).isEqualTo(17);
		assertThat(protocol.getConnectionTimeout()).isEqualTo(7000);
		assertThat(protocol.sharedSocketEndpoint().getSocketProperties().getRxBufSize()).isEqualTo(54321);
	}

	@Test
	void tlsAndHttp2AreKept() {
		Connector secure = new Connector();
		secure.setPort(8443);
		secure.setScheme("https");
		secure.setSecure(true);
		Http11NioProtocol original = (Http11NioProtocol) secure.getProtocolHandler();
		original.setSSLEnabled(true);
		SSLHostConfig sslHostConfig = new SSLHostConfig();
		SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(sslHostConfig,
				SSLHostConfigCertificate.Type.UNDEFINED);
		certificate.setCertificateKeystoreFile("/keystore.p12");
		sslHostConfig.addCertificate(certificate);
		original.addSslHostConfig(sslHostConfig);
		Http2Protocol http2 = new Http2Protocol();
		secure.addUpgradeProtocol(http2);
		Connector shared = share(relay(), secure).get(0);
		SharedSocketProtocol protocol = (SharedSocketProtocol) shared.getProtocolHandler();
		assertThat(shared.getScheme()).isEqualTo("https");
		assertThat(shared.getSecure()).isTrue();
		assertThat(protocol.isSSLEnabled()).isTrue();
		assertThat(protocol.findSslHostConfigs()).containsExactly(sslHostConfig);
		assertThat(protocol.findUpgradeProtocols()).containsExactly(http2);
	}

	@Test
	void aConnectorOfAnotherProtocolIsRefusedWithItsPortAndProtocol() {
		Connector ajp = new Connector("AJP/1.3");
		ajp.setPort(8009);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> share(relay(), ajp))
			.withMessageStartingWith(
					"The additional connector on port 8009 uses org.apache.coyote.ajp.AjpNioProtocol: a cluster shares");
	}

	@Test
	void inInheritModeTheWorkerMustAddAsManyConnectorsAsThePrimaryShares() {
		SharedConnectors sharing = new SharedConnectors(new InheritedWorkerSocket(List::of));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> share(sharing, new Connector()))
			.withMessageStartingWith("The primary shares 0 additional connector(s) and this worker's application adds 1");
	}

	@Test
	void inInheritModeAConnectorServesOnTheSocketHandedOverAndDrainsByClosingItsHold() throws Exception {
		ServerSocketChannel handedOver = ServerSocketChannel.open()
			.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		int port = ((InetSocketAddress) handedOver.getLocalAddress()).getPort();
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
		factory.setProtocol(SharedSocketProtocol.class.getName()); // as in a worker
		factory.addAdditionalConnectors(new Connector());
		new SharedConnectors(new InheritedWorkerSocket(() -> List.of(handedOver)))
			.postProcessAfterInitialization(factory, "factory");
		WebServer server = factory.getWebServer();
		try {
			server.start();
			assertThat(statusLine(port)).isEqualTo("HTTP/1.1 404 ");
			List<SharedSocketEndpoint> endpoints = SharedSocketProtocol.endpoints(server);
			assertThat(endpoints).hasSize(2);
			SharedSocketEndpoint additional = endpoints.get(1);
			assertThat(additional.getLocalPort()).isEqualTo(port);
			additional.stopAccepting();
			await().until(additional::isDrained);
			assertThat(handedOver.isOpen()).as("this process's hold on the socket").isFalse();
		}
		finally {
			server.stop();
			handedOver.close();
		}
	}

	@Test
	void inRelayModeWithASocketDirectoryEveryConnectorServesOnAUnixSocketAndReportsItsPublicPort(
			@TempDir Path directory) throws Exception {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
		factory.setProtocol(SharedSocketProtocol.class.getName()); // as in a worker
		factory.addAdditionalConnectors(new Connector());
		new SharedConnectors(new RelayedWorkerSocket(directory, List.of(18080, 18443)))
			.postProcessAfterInitialization(factory, "factory");
		Path stale = Files.createFile(directory.resolve(ProcessHandle.current().pid() + "-1.sock"));
		WebServer server = factory.getWebServer();
		try {
			server.start();
			assertThat(server.getPort()).as("local.server.port").isEqualTo(18080);
			List<SharedSocketEndpoint> endpoints = SharedSocketProtocol.endpoints(server);
			assertThat(endpoints).extracting(SharedSocketEndpoint::getUnixDomainSocketPath)
				.containsExactly(directory.resolve(ProcessHandle.current().pid() + "-0.sock").toString(),
						stale.toString());
			for (SharedSocketEndpoint endpoint : endpoints) {
				assertThat(statusLine(UnixDomainSocketAddress.of(endpoint.getUnixDomainSocketPath())))
					.isEqualTo("HTTP/1.1 404 ");
			}
			SharedSocketEndpoint additional = endpoints.get(1);
			additional.stopAccepting();
			await().until(additional::isDrained);
			assertThat(stale).as("the socket, gone with the drain").doesNotExist();
		}
		finally {
			server.stop();
		}
	}

	private static SharedConnectors relay() {
		return new SharedConnectors(new RelayedWorkerSocket(null, List.of()));
	}

	private static List<Connector> share(SharedConnectors sharing, Connector connector) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		factory.addAdditionalConnectors(connector);
		sharing.postProcessAfterInitialization(factory, "factory");
		return factory.getAdditionalConnectors();
	}

	private static String statusLine(int port) throws IOException {
		try (Socket client = new Socket()) {
			client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			client.setSoTimeout(5000);
			client.getOutputStream().write(REQUEST);
			return statusLine(client.getInputStream());
		}
	}

	private static String statusLine(UnixDomainSocketAddress address) throws IOException {
		try (SocketChannel client = SocketChannel.open(address)) {
			Channels.newOutputStream(client).write(REQUEST);
			return statusLine(Channels.newInputStream(client));
		}
	}

	private static String statusLine(InputStream in) throws IOException {
		String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		return response.substring(0, response.indexOf("\r\n")).replaceAll("404.*", "404 ");
	}

}
