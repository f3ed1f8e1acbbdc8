package dev.gatemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RequestRulesTests {

    private static HttpRequest request(String method, String target, String version, String... hosts) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.valueOf(version), HttpMethod.valueOf(method), target);
        for (String host : hosts) {
            request.headers().add("Host", host);
        }
        return request;
    }

    private static Refusal check(HttpRequest request) {
        return RequestRules.check(request, ConnectRequests.REFUSE);
    }

    @Test
    void acceptsOriginFormWithOneHost() {
        assertThat(check(request("GET", "/reviews/1?x=%2F", "HTTP/1.1", "reviews:9080"))).isNull();
        assertThat(check(request("GET", "/", "HTTP/1.0"))).as("HTTP/1.0 needs no Host").isNull();
        assertThat(check(request("GET", "/", "HTTP/1.1", "[::1]:8080"))).isNull();
    }

    @Test
    void refusesTargetsThatAreNeitherOriginNorAbsoluteForm() {
        assertThat(check(request("OPTIONS", "*", "HTTP/1.1", "a"))).extracting(Refusal::status, Refusal::reason)
                .containsExactly(400, "asterisk-form request target (*) refused: send a path starting with /");
        assertThat(check(request("GET", "admin/x", "HTTP/1.1", "a")).reason()).startsWith("invalid request target");
        assertThat(check(request("GET", "@127.0.0.1:19999/x", "HTTP/1.1", "a")).reason()).startsWith("invalid request target");
        assertThat(check(request("GET", "ftp://a/x", "HTTP/1.1", "a")).reason()).startsWith("invalid request target");
    }

    @Test
    void refusesControlCharactersFragmentsAndBrokenPercentEncodingInTheTarget() {
        assertThat(check(request("GET", "/a\u0000b", "HTTP/1.1", "a")).reason())
                .isEqualTo("control character, space or non-ASCII byte in the request target");
        assertThat(check(request("GET", "/a\u007fb", "HTTP/1.1", "a")).status()).isEqualTo(400);
        assertThat(check(request("GET", "/caf\u00e9", "HTTP/1.1", "a")).status()).isEqualTo(400);
        assertThat(check(request("GET", "/a#b", "HTTP/1.1", "a")).reason()).isEqualTo("fragment (#) in the request target");
        assertThat(check(request("GET", "/a%zz", "HTTP/1.1", "a")).reason()).startsWith("malformed percent-encoding");
        assertThat(check(request("GET", "/a%2", "HTTP/1.1", "a")).reason()).startsWith("malformed percent-encoding");
    }

    @Test
    void refusesVersionsOtherThanHttp10AndHttp11() {
        assertThat(check(request("GET", "/", "HTTP/9.9", "a"))).extracting(Refusal::status).isEqualTo(505);
        assertThat(check(request("GET", "/", "HTTP/1.2", "a"))).extracting(Refusal::status).isEqualTo(400);
        assertThat(check(request("GET", "/", "HTTX/1.1", "a"))).extracting(Refusal::status).isEqualTo(400);
    }

    @Test
    void refusesAMissingDuplicateOrMalformedHost() {
        assertThat(check(request("GET", "/", "HTTP/1.1")).reason()).isEqualTo("missing Host header (required in HTTP/1.1)");
        assertThat(check(request("GET", "/", "HTTP/1.1", "a", "b")).reason()).isEqualTo("more than one Host header");
        assertThat(check(request("GET", "/", "HTTP/1.0", "a", "a")).reason()).isEqualTo("more than one Host header");
        for (String host : new String[] {"", "a b", "a,b", "user@a", "a/b", "a:0", "a:99999", "a:x", "[::1", "[zz]"}) {
            assertThat(check(request("GET", "/", "HTTP/1.1", host))).as(host).extracting(Refusal::reason)
                    .isEqualTo("invalid Host header: expected host or host:port");
        }
    }

    @Test
    void refusesConnectWith403OrLeavesItToTheHandler() {
        assertThat(check(request("CONNECT", "example.com:443", "HTTP/1.1", "example.com:443")).status()).isEqualTo(403);
        assertThat(RequestRules.check(request("CONNECT", "example.com:443", "HTTP/1.1", "example.com:443"),
                ConnectRequests.REFUSED_BY_HANDLER)).isNull();
        assertThat(RequestRules.check(request("CONNECT", "/x", "HTTP/1.1", "a"), ConnectRequests.REFUSED_BY_HANDLER).reason())
                .isEqualTo("invalid CONNECT target: expected host:port");
        assertThat(check(request("GET", "example.com:443", "HTTP/1.1", "a")).reason()).startsWith("invalid request target");
    }

    @Test
    void theAuthorityOfAnAbsoluteTargetReplacesHost() {
        HttpRequest request = request("GET", "HTTP://reviews:9080?q=1", "HTTP/1.1", "ratings");

        assertThat(check(request)).isNull();
        assertThat(request.uri()).isEqualTo("http://reviews:9080/?q=1");
        assertThat(request.headers().getAll("Host")).containsExactly("reviews:9080");
    }

    @Test
    void refusesUserInformationOrABadAuthorityInAnAbsoluteTarget() {
        assertThat(check(request("GET", "http://u@reviews/x", "HTTP/1.1", "reviews")).reason())
                .isEqualTo("user information (user@) in the request target refused");
        assertThat(check(request("GET", "http:///x", "HTTP/1.1", "reviews")).reason()).startsWith("invalid authority");
        assertThat(check(request("GET", "http://a:99999/", "HTTP/1.1", "reviews")).reason()).startsWith("invalid authority");
    }
}
