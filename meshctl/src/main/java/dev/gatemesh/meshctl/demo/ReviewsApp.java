package dev.gatemesh.meshctl.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * bookinfo's reviews, whose version shows in the page: v1 gives no ratings, v2 black stars and v3 red
 * stars, both from the ratings service. A failing ratings call is reported in the answer, never failed.
 */
final class ReviewsApp implements HttpHandler {

    private static final Map<String, String> TEXTS = Map.of(
            "Reviewer1", "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!",
            "Reviewer2", "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.");

    private final DemoWorkload workload;
    private final MeshClient mesh;

    ReviewsApp(DemoWorkload workload, MeshClient mesh) {
        this.workload = workload;
        this.mesh = mesh;
    }

    private String starColor() {
        return switch (workload.version()) {
            case "v1" -> null;
            case "v3" -> "red";
            default -> "black";
        };
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Integer id = Http.idAfter(exchange.getRequestURI().getPath(), "/reviews/");
        if (id == null) {
            Http.json(exchange, 404, Http.error("no such path; try /reviews/0"));
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("version", workload.version());
        answer.put("servedBy", workload.appVersion());
        String color = starColor();
        JsonNode stars = null;
        String servedBy = workload.appVersion();
        if (color != null) {
            MeshClient.Reply reply = mesh.get("ratings", "/ratings/" + id, exchange.getRequestHeaders());
            JsonNode json = reply.ok() ? reply.json() : null;
            if (json != null && json.has("ratings")) {
                stars = json.get("ratings");
                String ratingsBy = json.path("servedBy").asString("ratings");
                answer.put("ratings", Map.of("servedBy", ratingsBy, "version", json.path("version").asString("")));
                servedBy += "," + ratingsBy;
            } else {
                String problem = reply.ok() ? "HTTP 200 with an unreadable body" : reply.problem();
                answer.put("ratings", Map.of("error", problem, "status", reply.shortStatus()));
                servedBy += ",ratings:" + reply.shortStatus();
            }
        }
        List<Map<String, Object>> reviews = new ArrayList<>();
        for (String reviewer : List.of("Reviewer1", "Reviewer2")) {
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("reviewer", reviewer);
            review.put("text", TEXTS.get(reviewer));
            if (stars != null && stars.has(reviewer)) {
                review.put("rating", Map.of("stars", stars.get(reviewer).asInt(), "color", color));
            }
            reviews.add(review);
        }
        answer.put("reviews", reviews);
        exchange.getResponseHeaders().set(Http.SERVED_BY, servedBy);
        Http.json(exchange, 200, answer);
    }
}
