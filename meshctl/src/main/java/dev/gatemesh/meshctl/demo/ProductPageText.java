package dev.gatemesh.meshctl.demo;

import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The details and reviews parts of the product page, as readable text, from what the services answered. */
final class ProductPageText {

    private static final Set<String> NOT_SHOWN = Set.of("id", "version", "servedBy");

    private ProductPageText() {
    }

    static void details(StringBuilder page, MeshClient.Reply reply, ProductPageApp.ServedBy servedBy) {
        page.append("Book Details\n");
        JsonNode json = reply.ok() ? reply.json() : null;
        if (json == null || !json.isObject()) {
            page.append("  Details unavailable: ").append(problem(reply)).append('\n');
            servedBy.add("details: " + reply.shortStatus(), null);
            return;
        }
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (!NOT_SHOWN.contains(field.getKey())) {
                page.append("  ").append(label(field.getKey())).append(": ").append(field.getValue().asString())
                        .append('\n');
            }
        }
        servedBy.add(json.path("servedBy").asString("details"), null);
    }

    static void reviews(StringBuilder page, MeshClient.Reply reply, ProductPageApp.ServedBy servedBy) {
        page.append("Book Reviews\n");
        JsonNode json = reply.ok() ? reply.json() : null;
        if (json == null || !json.has("reviews")) {
            page.append("  Reviews unavailable: ").append(problem(reply)).append('\n');
            servedBy.add("reviews: " + reply.shortStatus(), null);
            return;
        }
        for (JsonNode review : json.get("reviews")) {
            page.append("  \"").append(review.path("text").asString("")).append("\"\n");
            page.append("    -- ").append(review.path("reviewer").asString(""));
            JsonNode rating = review.get("rating");
            if (rating != null) {
                int stars = Math.max(0, Math.min(5, rating.path("stars").asInt()));
                page.append("  ").append("★".repeat(stars)).append("☆".repeat(5 - stars))
                        .append(" (").append(rating.path("color").asString("")).append(')');
            }
            page.append('\n');
        }
        String nested = null;
        JsonNode ratings = json.get("ratings");
        if (ratings != null && ratings.has("error")) {
            page.append("  Ratings unavailable: ").append(ratings.get("error").asString()).append('\n');
            nested = "ratings: " + ratings.path("status").asString("error");
        } else if (ratings != null) {
            nested = ratings.path("servedBy").asString("ratings");
        }
        servedBy.add(json.path("servedBy").asString("reviews"), nested);
    }

    private static String problem(MeshClient.Reply reply) {
        return reply.ok() ? "HTTP 200 with an unreadable body" : reply.problem();
    }

    private static String label(String key) {
        return key.startsWith("ISBN") ? key : Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }
}
