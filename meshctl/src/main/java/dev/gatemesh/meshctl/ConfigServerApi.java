package dev.gatemesh.meshctl;

import dev.gatemesh.meshctl.local.LocalRunFile;
import dev.gatemesh.meshctl.local.LocalSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
                description = "The home of the local mesh to ask, or of the config server, where its management "
                        + "credential is (default: ~/.gatemesh/local; $GATEMESH_MANAGEMENT_TOKEN wins).")
        Path home;

        private Path home() {
            return home != null ? home : LocalSettings.defaultHome();
        }

        /** The management credential, when meshctl can find one. */
        Optional<String> token() {
            return ManagementCredential.find(home(), System.getenv(), Path.of(System.getProperty("user.home")));
        }

        String base() {
            String base = server;
            if (base == null) {
                base = System.getenv("GATEMESH_SERVER");
            }
            if (base == null) {
                base = LocalRunFile.runningServer(home()).orElse(DEFAULT_SERVER);
            }
            return base.replaceAll("/+$", "");
        }
    }

    private ConfigServerApi() {
    }

    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GETs a JSON object with the management credential; a 404 is reported as {@code notFound}. */
    static Map<String, Object> get(ServerOption server, String path, String notFound) throws Failure {
        String base = server.base();
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new Failure("\"" + base + "\" is not a URL: " + e.getMessage());
        }
        HttpResponse<String> response;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
            server.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
        if (response.statusCode() == 401) {
            throw new Failure("the config server at " + base + " wants its management credential: point --home at the "
                    + "folder holding " + ManagementCredential.FILE_NAME + " (the server's home; a local mesh's home), or "
                    + "set " + ManagementCredential.ENV);
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
