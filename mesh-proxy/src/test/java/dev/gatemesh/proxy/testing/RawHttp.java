package dev.gatemesh.proxy.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client connection that writes exactly the bytes a test gives it (a malformed request line, two pipelined requests
 * in one write, a header a byte at a time) and reads the answers one by one: what a real HTTP client library would
 * never send.
 */
public final class RawHttp implements AutoCloseable {

    /** One answer: its status line, headers (names in lower case) and body. */
    public record Response(String statusLine, int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final InputStream in;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Sends {@code request} on a new connection and reads one answer. */
    public static Response exchange(int port, String request) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            return http.send(request).next();
        }
    }

    public RawHttp send(String bytes) throws IOException {
        socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** The next answer, or null when the server closed the connection first. */
    public Response next() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Response(statusLine, Integer.parseInt(statusLine.split(" ")[1]), headers,
                body.toString(StandardCharsets.UTF_8));
    }

    /** Whether the server closes the connection (with or without an answer) within {@code limit}. */
    public boolean closedWithin(Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        try {
            while (in.read() >= 0) {
                // an answer before the close (408) is fine
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    private String line() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                return text.toString().endsWith("\r") ? text.substring(0, text.length() - 1) : text.toString();
            }
            text.append((char) c);
        }
        return text.isEmpty() ? null : text.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
