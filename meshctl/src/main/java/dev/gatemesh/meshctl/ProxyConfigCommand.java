package dev.gatemesh.meshctl;

import dev.gatemesh.meshctl.text.TextTable;
import dev.gatemesh.api.write.ManifestWriter;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code meshctl proxy-config}: what one proxy runs with, as the config server knows it. */
@Command(name = "proxy-config", mixinStandardHelpOptions = true,
        description = "Show one proxy's configuration as the config server knows it.",
        subcommands = {ProxyConfigCommand.Routes.class, ProxyConfigCommand.Endpoints.class, ProxyConfigCommand.Snapshot.class,
                ProxyConfigCommand.Secret.class})
final class ProxyConfigCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a kind is required (try: meshctl proxy-config routes NAME)");
    }

    enum TableOutput { text, json }

    enum SnapshotOutput { yaml, json }

    /** What the views of a proxy's snapshot share: the server, the proxy's name, reading and failing. */
    abstract static class SnapshotView implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigServerApi.ServerOption server;

        @Parameters(paramLabel = "NAME", description = "The proxy's name, as meshctl proxy-status lists it.")
        String name;

        @Override
        public Integer call() {
            ProxyConfigReading reading;
            try {
                reading = ProxyConfigReading.read(server, name);
            } catch (ConfigServerApi.Failure e) {
                spec.commandLine().getErr().println("meshctl: " + e.getMessage());
                return 2;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(show(reading));
            out.flush();
            return 0;
        }

        abstract String show(ProxyConfigReading reading);
    }

    /** {@code meshctl proxy-config routes NAME}: the routes the proxy applies, one row per route. */
    @Command(name = "routes", mixinStandardHelpOptions = true,
            description = "Show a proxy's routes: for a sidecar its outbound virtual hosts, for a gateway its ports; "
                    + "one row per route with its matches, destinations (host:port|subset weight) and VirtualService.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "2:usage error, no such proxy, not synced yet, or the config server cannot be reached"})
    static final class Routes extends SnapshotView {

        @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
        TableOutput output;

        @Override
        String show(ProxyConfigReading reading) {
            Map<String, Object> routes = RoutesView.plain(reading);
            return output == TableOutput.json ? ManifestWriter.toJson(routes) + "\n" : RoutesView.table(routes);
        }
    }

    /** {@code meshctl proxy-config endpoints NAME}: every instance the proxy's clusters send to. */
    @Command(name = "endpoints", mixinStandardHelpOptions = true,
            description = "Show the endpoints of a proxy's clusters (outbound|port|subset|host), with health, "
                    + "sidecar port and labels.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "2:usage error, no such proxy, not synced yet, or the config server cannot be reached"})
    static final class Endpoints extends SnapshotView {

        @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
        TableOutput output;

        @Override
        String show(ProxyConfigReading reading) {
            Map<String, Object> endpoints = EndpointsView.plain(reading);
            return output == TableOutput.json ? ManifestWriter.toJson(endpoints) + "\n" : EndpointsView.table(endpoints);
        }
    }

    /** {@code meshctl proxy-config snapshot NAME}: the whole snapshot the proxy runs with. */
    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = "Show the whole snapshot a proxy runs with (the one it acknowledged): version, services, resources.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "2:usage error, no such proxy, not synced yet, or the config server cannot be reached"})
    static final class Snapshot extends SnapshotView {

        @Option(names = {"-o", "--output"}, defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE}).")
        SnapshotOutput output;

        @Override
        String show(ProxyConfigReading reading) {
            Map<String, Object> snapshot = document(reading.wire());
            return output == SnapshotOutput.json ? ManifestWriter.toJson(snapshot) + "\n" : ManifestWriter.toYamlText(snapshot);
        }

        /** The wire form (keys sorted, version last) in reading order: version, services, resources. */
        static Map<String, Object> document(Map<String, Object> wire) {
            Map<String, Object> snapshot = new LinkedHashMap<>();
            snapshot.put("version", wire.get("version"));
            snapshot.put("services", wire.get("services"));
            snapshot.put("resources", wire.get("resources"));
            return snapshot;
        }
    }

    enum SecretOutput { text, json, pem }

    /** {@code meshctl proxy-config secret NAME}: the certificate chain the proxy presents and the trust roots. */
    @Command(name = "secret", mixinStandardHelpOptions = true,
            description = "Show a proxy's workload certificate (SPIFFE ID, serial, validity, chain) and the mesh's root(s).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "2:usage error, no such proxy, or the config server cannot be reached"})
    static final class Secret implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private ConfigServerApi.ServerOption server;

        @Parameters(paramLabel = "NAME", description = "The proxy's name, as meshctl proxy-status lists it.")
        private String name;

        @Option(names = {"-o", "--output"}, defaultValue = "text",
                description = "text, json, or pem (the certificate chain) (default: ${DEFAULT-VALUE}).")
        private SecretOutput output;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Object> proxy;
            try {
                proxy = ConfigServerApi.get(server, "/actuator/meshproxies/" + ConfigServerApi.pathSegment(name),
                        "no proxy named \"" + name + "\" is connected to " + server.base()
                                + "; meshctl proxy-status lists the connected ones");
            } catch (ConfigServerApi.Failure e) {
                spec.commandLine().getErr().println("meshctl: " + e.getMessage());
                return 2;
            }
            switch (output) {
                case json -> out.println(ManifestWriter.toJson(proxy));
                case pem -> {
                    if (!(proxy.get("certificate") instanceof Map<?, ?> certificate)) {
                        spec.commandLine().getErr().println("meshctl: proxy " + name + " has not presented a certificate");
                        return 2;
                    }
                    out.print(certificate.get("chainPem"));
                }
                default -> out.print(secretTable(proxy, Clock.systemUTC().instant()));
            }
            out.flush();
            return 0;
        }
    }

    /** Istio's layout: one row for the workload's chain ({@code default}) and one per root ({@code ROOTCA}). */
    @SuppressWarnings("unchecked")
    static String secretTable(Map<String, Object> proxy, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE"});
        Map<String, Object> certificate = (Map<String, Object>) proxy.get("certificate");
        if (certificate != null) {
            rows.add(row("default", "Cert Chain", certificate, now));
        }
        Map<String, Object> bundle = (Map<String, Object>) proxy.getOrDefault("trustBundle", Map.of());
        for (Map<String, Object> root : (List<Map<String, Object>>) bundle.getOrDefault("roots", List.of())) {
            rows.add(row("ROOTCA", "CA", root, now));
        }
        StringBuilder out = new StringBuilder(TextTable.render(rows));
        if (certificate == null) {
            out.append("\nProxy ").append(proxy.get("id")).append(" has not presented a certificate.\n");
            return out.toString();
        }
        out.append("\nSPIFFE ID: ").append(certificate.get("spiffeId")).append('\n');
        out.append("Chain:\n");
        int index = 0;
        for (Map<String, Object> link : (List<Map<String, Object>>) certificate.getOrDefault("chain", List.of())) {
            String subject = TextTable.text(link.get("subject"));
            out.append("  ").append(index++).append(": subject=").append(subject.isEmpty() ? "(empty, SPIFFE ID in the SAN)" : subject)
                    .append(" issuer=").append(link.get("issuer")).append(" serial=").append(link.get("serial"))
                    .append(" valid ").append(link.get("notBefore")).append(" .. ").append(link.get("notAfter")).append('\n');
        }
        return out.toString();
    }

    private static String[] row(String name, String type, Map<String, Object> certificate, Instant now) {
        Instant notBefore = Instant.parse(certificate.get("notBefore").toString());
        Instant notAfter = Instant.parse(certificate.get("notAfter").toString());
        boolean valid = !now.isBefore(notBefore) && now.isBefore(notAfter);
        String status = valid ? "ACTIVE" : now.isBefore(notBefore) ? "NOT YET VALID" : "EXPIRED";
        return new String[] {name, type, status, String.valueOf(valid),
                TextTable.text(certificate.get("serial")), notAfter.toString(), notBefore.toString()};
    }
}
