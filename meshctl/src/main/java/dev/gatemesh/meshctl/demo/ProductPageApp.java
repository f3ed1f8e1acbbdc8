package dev.gatemesh.meshctl.demo;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * bookinfo's productpage: a text page built from details and reviews, which says which versions
 * answered; a failing dependency shows on the page, the page itself still answers 200.
 */
final class ProductPageApp implements HttpHandler {

    static final String TITLE = "The Comedy of Errors";
    private static final String SUMMARY = "The Comedy of Errors is one of William Shakespeare's early plays. It is his"
            + " shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick"
            + " and mistaken identity, in addition to puns and word play.";

    private final DemoWorkload workload;
    private final MeshClient mesh;

    ProductPageApp(DemoWorkload workload, MeshClient mesh) {
        this.workload = workload;
        this.mesh = mesh;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/productpage")) {
            productPage(exchange);
        } else if (path.equals("/api/v1/products")) {
            Http.json(exchange, 200, List.of(Map.of("id", 0, "title", TITLE, "descriptionHtml", SUMMARY)));
        } else if (path.startsWith("/api/v1/products/")) {
            productApi(exchange, path.substring("/api/v1/products/".length()));
        } else if (path.equals("/static/bookinfo.css")) {
            Http.send(exchange, 200, "text/css", "body { font-family: monospace; }\n");
        } else {
            Http.text(exchange, 404, "Not found: " + path + "\nTry /productpage, /api/v1/products or /static/bookinfo.css\n");
        }
    }

    private void productApi(HttpExchange exchange, String rest) throws IOException {
        String[] parts = rest.split("/", -1);
        if (!parts[0].equals("0") || parts.length > 2 || parts.length == 2 && !parts[1].equals("reviews")) {
            Http.json(exchange, 404, Http.error("no such product; try /api/v1/products/0 or /api/v1/products/0/reviews"));
            return;
        }
        MeshClient.Reply reply = parts.length == 1
                ? mesh.get("details", "/details/0", forwarded(exchange))
                : mesh.get("reviews", "/reviews/0", forwarded(exchange));
        if (reply.ok() && reply.json() != null) {
            Http.send(exchange, 200, "application/json", reply.body());
        } else {
            Http.json(exchange, reply.status() == 0 ? 503 : reply.status(), Http.error(reply.problem()));
        }
    }

    private void productPage(HttpExchange exchange) throws IOException {
        Headers out = forwarded(exchange);
        String user = out.getFirst("end-user");
        CompletableFuture<MeshClient.Reply> detailsCall = mesh.getAsync("details", "/details/0", out);
        MeshClient.Reply reviews = mesh.get("reviews", "/reviews/0", out);
        MeshClient.Reply details = detailsCall.join();
        ServedBy servedBy = new ServedBy(workload.appVersion());

        StringBuilder page = new StringBuilder();
        page.append(TITLE).append('\n').append("=".repeat(TITLE.length())).append('\n');
        page.append(SUMMARY).append("\n\n");
        page.append(user == null ? "Not signed in (add ?u=jason to sign in as jason)" : "Signed in as: " + user)
                .append("\n\n");
        ProductPageText.details(page, details, servedBy);
        page.append('\n');
        ProductPageText.reviews(page, reviews, servedBy);
        page.append('\n').append("Served by: ").append(servedBy.line()).append('\n');

        exchange.getResponseHeaders().set(Http.SERVED_BY, servedBy.header());
        Http.text(exchange, 200, page.toString());
    }

    /** The headers to pass on: the user ({@code ?u=} wins over {@code end-user}) and the trace context. */
    private static Headers forwarded(HttpExchange exchange) {
        Headers in = exchange.getRequestHeaders();
        Headers out = new Headers();
        for (String name : MeshClient.FORWARDED) {
            String value = in.getFirst(name);
            if (value != null) {
                out.set(name, value);
            }
        }
        String user = Http.query(exchange, "u");
        if (user != null && !user.isBlank()) {
            out.set("end-user", user);
        }
        return out;
    }

    /** Who answered, as the page's last line and as the {@code x-bookinfo-served-by} header. */
    static final class ServedBy {

        private final String self;
        private final List<String> calls = new ArrayList<>();
        private final List<String> tokens = new ArrayList<>();

        ServedBy(String self) {
            this.self = self;
            tokens.add(self);
        }

        /** A direct dependency and, if it called one, its own dependency. */
        void add(String served, String nested) {
            calls.add(nested == null ? served : served + " -> " + nested);
            tokens.add(served.replace(": ", ":"));
            if (nested != null) {
                tokens.add(nested.replace(": ", ":"));
            }
        }

        String line() {
            return self + " -> " + String.join(", ", calls);
        }

        String header() {
            return String.join(",", tokens);
        }
    }
}
