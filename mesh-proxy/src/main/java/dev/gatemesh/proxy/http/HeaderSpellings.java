package dev.gatemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Headers the mesh vouches for ({@code x-forwarded-client-cert}, the claim headers of a verified token) must not reach
 * an app in a spelling of the caller's: many frameworks (CGI, WSGI, PHP, some proxies) read {@code x_user} as
 * {@code x-user}. Envoy answers with {@code headers_with_underscores_action}; here the underscore spellings of those
 * headers are removed with them.
 */
public final class HeaderSpellings {

    private HeaderSpellings() {
    }

    /** Removes every header whose name, underscores read as dashes, is one of {@code names} (lower case, dashes). */
    public static void removeUnderscoreSpellings(HttpHeaders headers, Set<String> names) {
        if (names.isEmpty()) {
            return;
        }
        List<String> spellings = null;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (name.indexOf('_') >= 0 && names.contains(name.toLowerCase(Locale.ROOT).replace('_', '-'))) {
                if (spellings == null) {
                    spellings = new ArrayList<>();
                }
                spellings.add(name);
            }
        }
        if (spellings != null) {
            spellings.forEach(headers::remove);
        }
    }
}
