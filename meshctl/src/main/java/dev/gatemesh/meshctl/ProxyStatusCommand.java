package dev.gatemesh.meshctl;

import dev.gatemesh.api.write.ManifestWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@code meshctl proxy-status}: every proxy connected to the config server and whether it is in sync. */
@Command(name = "proxy-status", mixinStandardHelpOptions = true,
        description = "Show the proxies connected to the config server: identity, role and sync state.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:status shown", "2:usage error, or the config server cannot be reached"})
final class ProxyStatusCommand implements Callable<Integer> {

    static final String DEFAULT_SERVER = "http://127.0.0.1:15010";

    @Spec
    private CommandSpec spec;

    @Option(names = {"-s", "--server"}, description = "The config server's URL (default: $GATEMESH_SERVER or "
            + DEFAULT_SERVER + ").")
    private String server;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    private AnalyzeCommand.Output output;

    @Override
    public Integer call() {
        String base = server != null ? server : System.getenv().getOrDefault("GATEMESH_SERVER", DEFAULT_SERVER);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> status;
        try {
            status = fetch(URI.create(base.replaceAll("/+$", "") + "/actuator/meshproxies"));
        } catch (IllegalArgumentException e) {
            err.println("meshctl: \"" + base + "\" is not a URL: " + e.getMessage());
            return 2;
        } catch (ConnectException e) {
            err.println("meshctl: cannot reach the config server at " + base + " (connection refused); is it running?"
                    + " Use --server or GATEMESH_SERVER to point at it.");
            return 2;
        } catch (IOException | StatusException e) {
            err.println("meshctl: cannot read the proxy status from " + base + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        if (output == AnalyzeCommand.Output.json) {
            out.println(ManifestWriter.toJson(status));
        } else {
            out.print(table(status));
        }
        out.flush();
        return 0;
    }

    private static final class StatusException extends Exception {
        StatusException(String message) {
            super(message);
        }
    }

    private static Map<String, Object> fetch(URI uri) throws IOException, InterruptedException, StatusException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new StatusException("HTTP " + response.statusCode() + " from " + uri);
        }
        try {
            return JsonMapper.builder().build().readValue(response.body(), new TypeReference<Map<String, Object>>() {
            });
        } catch (JacksonException e) {
            throw new StatusException("the answer is not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> status) {
        List<Map<String, Object>> proxies = (List<Map<String, Object>>) status.getOrDefault("proxies", List.of());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ROLE", "IDENTITY", "STATE", "SENT", "ACKED", "NOTE"});
        for (Map<String, Object> proxy : proxies) {
            rows.add(new String[] {text(proxy.get("id")), text(proxy.get("role")), text(proxy.get("identity")),
                    text(proxy.get("state")), text(proxy.get("sentVersion")), text(proxy.get("ackedVersion")),
                    "NACKED".equals(proxy.get("state")) ? "refused: " + text(proxy.get("lastNackReason")) : ""});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append(proxies.size()).append(proxies.size() == 1 ? " proxy" : " proxies").append(", ")
                .append(proxies.stream().filter(p -> "SYNCED".equals(p.get("state"))).count()).append(" synced.\n");
        return out.toString();
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }
}
