package dev.gatemesh.meshctl;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The config server's management port as meshctl reads it ({@code --server}, {@code $GATEMESH_SERVER},
 * or the local default), with every failure turned into a sentence for the user.
 */
final class ConfigServerApi {

    static final String DEFAULT_SERVER = "http://127.0.0.1:15014";

    /** Something the user must hear instead of an answer. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** The {@code --server} option, as a picocli mixin. */
    static final class ServerOption {
        @Option(names = {"-s", "--server"}, description = "The config server's management URL (default: $GATEMESH_SERVER, "
                + "else the local mesh running from --home, else " + DEFAULT_SERVER + ").")
        String server;

        @Option(names = "--home", paramLabel = "DIR",
                description = "The home of the local mesh to ask (default: ~/.gatemesh/local).")
        java.nio.file.Path home;

        String base() {
            String base = server;
            if (base == null) {
                base = System.getenv("GATEMESH_SERVER");
            }
            if (base == null) {
                base = dev.gatemesh.meshctl.local.LocalRunFile.runningServer(
                        home != null ? home : dev.gatemesh.meshctl.local.LocalSettings.defaultHome()).orElse(DEFAULT_SERVER);
            }
            return base.replaceAll("/+$", "");
        }
    }

    private ConfigServerApi() {
    }

    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GETs a JSON object; a 404 is reported as {@code notFound}. */
    static Map<String, Object> get(String base, String path, String notFound) throws Failure {
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new Failure("\"" + base + "\" is not a URL: " + e.getMessage());
        }
        HttpResponse<String> response;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException e) {
            throw new Failure("\"" + base + "\" is not a URL: " + e.getMessage());
        } catch (ConnectException e) {
            throw new Failure("cannot reach the config server at " + base + " (connection refused); is it running?"
                    + " Use --server or GATEMESH_SERVER to point at its management port.");
        } catch (IOException e) {
            throw new Failure("cannot read " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        if (response.statusCode() == 404) {
            throw new Failure(notFound);
        }
        if (response.statusCode() != 200) {
            throw new Failure("cannot read " + uri + ": HTTP " + response.statusCode());
        }
        try {
            return JsonMapper.builder().build().readValue(response.body(), new TypeReference<Map<String, Object>>() {
            });
        } catch (JacksonException e) {
            throw new Failure("the answer from " + uri + " is not JSON (" + e.getOriginalMessage() + ")");
        }
    }
}
