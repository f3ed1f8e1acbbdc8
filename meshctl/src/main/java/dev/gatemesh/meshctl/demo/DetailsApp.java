package dev.gatemesh.meshctl.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** bookinfo's details: {@code GET /details/{id}} answers the book's facts as JSON. */
final class DetailsApp implements HttpHandler {

    private final DemoWorkload workload;

    DetailsApp(DemoWorkload workload) {
        this.workload = workload;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Integer id = Http.idAfter(exchange.getRequestURI().getPath(), "/details/");
        if (id == null) {
            Http.json(exchange, 404, Http.error("no such path; try /details/0"));
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", id);
        details.put("author", "William Shakespeare");
        details.put("year", 1595);
        details.put("type", "paperback");
        details.put("pages", 200);
        details.put("publisher", "PublisherA");
        details.put("language", "English");
        details.put("ISBN-10", "1234567890");
        details.put("ISBN-13", "123-1234567890");
        details.put("version", workload.version());
        details.put("servedBy", workload.appVersion());
        exchange.getResponseHeaders().set(Http.SERVED_BY, workload.appVersion());
        Http.json(exchange, 200, details);
    }
}
