package dev.bootcluster.test;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 response as read off the wire, its chunked body decoded.
 *
 * @param status the status code
 * @param worker the {@code X-Cluster-Worker} header the samples add, or {@code null}
 * @param head the status line and headers
 * @param body the body
 */
public record RawResponse(int status, @Nullable String worker, String head, String body) {

	private static final Pattern WORKER = Pattern.compile("(?im)^X-Cluster-Worker: *(\\S+)");

	/**
	 * Reads a whole response.
	 * @param response the bytes received, as text
	 * @return the response
	 * @throws IOException if it is not an HTTP/1.1 response
	 */
	public static RawResponse parse(String response) throws IOException {
		int end = response.indexOf("\r\n\r\n");
		if (!response.startsWith("HTTP/1.1 ") || end < 0) {
			throw new IOException("Not an HTTP response: " + response);
		}
		String head = response.substring(0, end);
		Matcher worker = WORKER.matcher(head);
		return new RawResponse(Integer.parseInt(response.substring(9, 12)), worker.find() ? worker.group(1) : null,
				head, dechunk(head, response.substring(end + 4)));
	}

	private static String dechunk(String head, String body) {
		if (!head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
			return body;
		}
		StringBuilder content = new StringBuilder();
		int at = 0;
		while (at < body.length()) {
			int lineEnd = body.indexOf("\r\n", at);
			int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
			if (size == 0) {
				break;
			}
			content.append(body, lineEnd + 2, lineEnd + 2 + size);
			at = lineEnd + 2 + size + 2;
		}
		return content.toString();
	}

}
