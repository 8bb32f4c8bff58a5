package dev.vibed.standalone.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An upstream response's status line and headers, in the order the app sent them. */
record ResponseHead(String version, int status, String reason, List<Header> headers) {
    record Header(String name, String value) {
    }

    List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    /** -1 when absent; a malformed or conflicting length is an error, as RFC 9112 6.3 asks. */
    long contentLength() throws java.io.IOException {
        long length = -1;
        for (String v : all("content-length")) {
            for (String part : v.split(",")) {
                long n;
                try {
                    n = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new java.io.IOException("bad content-length from upstream: " + v);
                }
                if (n < 0 || (length >= 0 && n != length)) {
                    throw new java.io.IOException("bad content-length from upstream: " + v);
                }
                length = n;
            }
        }
        return length;
    }

    boolean chunked() {
        for (String v : all("transfer-encoding")) {
            if (v.toLowerCase(Locale.ROOT).contains("chunked")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the app lets the connection be used for another request after this response. */
    boolean keepAlive() {
        HopByHop hop = HopByHop.of(all("connection"));
        if ("HTTP/1.0".equals(version)) {
            return hop.listed("keep-alive");
        }
        return !hop.listed("close");
    }

    /** Responses that never have a body whatever their headers say (RFC 9112 6.3). */
    boolean bodiless(boolean headRequest) {
        return headRequest || status / 100 == 1 || status == 204 || status == 304;
    }
}
