package dev.gatemesh.proxy.route;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A request for routing tests: set what matters, the rest has plain defaults. */
final class TestRequest implements RequestView {

    private String method = "GET";
    private String path = "/";
    private String authority;
    private int port = 9080;
    private String source = "127.0.0.1";
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private final Map<String, String> cookies = new HashMap<>();

    static TestRequest to(String authority) {
        TestRequest request = new TestRequest();
        request.authority = authority;
        int colon = authority.lastIndexOf(':');
        if (colon > 0) {
            request.port = Integer.parseInt(authority.substring(colon + 1));
        }
        return request;
    }

    TestRequest method(String value) {
        method = value;
        return this;
    }

    TestRequest path(String value) {
        path = value;
        return this;
    }

    TestRequest header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    TestRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    TestRequest cookie(String name, String value) {
        cookies.put(name, value);
        return this;
    }

    TestRequest from(String address) {
        source = address;
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String queryParam(String name) {
        return query.get(name);
    }

    @Override
    public String cookie(String name) {
        return cookies.get(name);
    }

    @Override
    public String sourceAddress() {
        return source;
    }
}
