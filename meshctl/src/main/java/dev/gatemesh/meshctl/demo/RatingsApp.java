package dev.gatemesh.meshctl.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** bookinfo's ratings: {@code GET /ratings/{id}} answers the stars each reviewer gave, as JSON. */
final class RatingsApp implements HttpHandler {

    static final Map<String, Integer> STARS = Map.of("Reviewer1", 5, "Reviewer2", 4);

    private final DemoWorkload workload;

    RatingsApp(DemoWorkload workload) {
        this.workload = workload;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Integer id = Http.idAfter(exchange.getRequestURI().getPath(), "/ratings/");
        if (id == null) {
            Http.json(exchange, 404, Http.error("no such path; try /ratings/0"));
            return;
        }
        Map<String, Object> ratings = new LinkedHashMap<>();
        ratings.put("id", id);
        ratings.put("ratings", new java.util.TreeMap<>(STARS));
        ratings.put("version", workload.version());
        ratings.put("servedBy", workload.appVersion());
        exchange.getResponseHeaders().set(Http.SERVED_BY, workload.appVersion());
        Http.json(exchange, 200, ratings);
    }
}
