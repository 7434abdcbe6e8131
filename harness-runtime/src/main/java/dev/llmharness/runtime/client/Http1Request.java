package dev.llmharness.runtime.client;

import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Request;

/**
 * Encodes the HTTP/1.1 request the event loop writes: the request line and headers, then the body,
 * in one array made on the request's own thread, ahead of its instant. The loop then writes the
 * array as it is, with no encoder in the pipeline and nothing to encode on the loop thread.
 */
final class Http1Request {
    private Http1Request() {}

    /**
     * The request's bytes: OkHttp's method, URL and headers, plus what OkHttp adds itself ({@code
     * Host}, {@code User-Agent}, {@code Content-Type}, {@code Content-Length}) unless the request
     * sets them itself.
     *
     * @param http the request as OkHttp would send it
     * @param body the body's bytes (the same as {@code http}'s body)
     * @param d the destination of {@code http}'s URL: request target and {@code Host} value
     * @throws IllegalArgumentException for a header with a line break, a NUL or a character beyond
     *     Latin-1 (OkHttp's own checks refuse them already, unless a header was added unsafely)
     */
    static byte[] encode(Request http, byte[] body, EventLoopTransport.Destination d) {
        Headers headers = http.headers();
        StringBuilder head = new StringBuilder(256);
        head.append(http.method()).append(' ').append(d.requestTarget()).append(" HTTP/1.1\r\n");
        if (headers.get("Host") == null) {
            field(head, "Host", d.host());
        }
        if (headers.get("User-Agent") == null) {
            field(head, "User-Agent", "llmh");
        }
        MediaType type = http.body() == null ? null : http.body().contentType();
        if (type != null && headers.get("Content-Type") == null) {
            field(head, "Content-Type", type.toString());
        }
        if (headers.get("Content-Length") == null) {
            field(head, "Content-Length", Integer.toString(body.length));
        }
        for (int i = 0; i < headers.size(); i++) {
            field(head, headers.name(i), headers.value(i));
        }
        head.append("\r\n");
        int n = head.length();
        byte[] out = new byte[n + body.length];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) head.charAt(i); // Latin-1: field() checked every character
        }
        System.arraycopy(body, 0, out, n, body.length);
        return out;
    }

    private static void field(StringBuilder head, String name, String value) {
        check(name, name, "name");
        check(name, value, "value");
        head.append(name).append(": ").append(value).append("\r\n");
    }

    /** A line break would end the header (and let a value inject others); beyond Latin-1 has no byte. */
    private static void check(String name, String s, String part) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                throw new IllegalArgumentException("header " + name + " cannot be sent: its " + part
                        + " holds the character U+" + String.format("%04X", (int) c));
            }
        }
    }
}
