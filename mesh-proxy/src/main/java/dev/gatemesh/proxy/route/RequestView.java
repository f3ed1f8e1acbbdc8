package dev.gatemesh.proxy.route;

/** What routing reads of a request; implemented over the HTTP server's request (and by tests). */
public interface RequestView {

    String method();

    /** The path with no query string. */
    String path();

    String scheme();

    /** The Host (or :authority) as sent, port included if any. */
    String authority();

    /** The port the request was addressed to (from the authority, or the scheme's default). */
    int port();

    /** The first value of a header, by case-insensitive name; null when absent. */
    String header(String name);

    /** The first value of a query parameter; null when absent. */
    String queryParam(String name);

    /** A cookie's value; null when absent. */
    String cookie(String name);

    /** The calling app's address (consistent hashing by source IP). */
    String sourceAddress();
}
