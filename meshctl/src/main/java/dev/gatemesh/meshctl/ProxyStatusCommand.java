package dev.gatemesh.meshctl;

import dev.gatemesh.meshctl.text.TextTable;
import dev.gatemesh.api.write.ManifestWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code meshctl proxy-status}: every proxy connected to the config server and whether it is in sync. */
@Command(name = "proxy-status", mixinStandardHelpOptions = true,
        description = "Show the proxies connected to the config server: identity, role and sync state.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:status shown", "2:usage error, or the config server cannot be reached"})
final class ProxyStatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigServerApi.ServerOption server;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    private AnalyzeCommand.Output output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> status;
        try {
            status = ConfigServerApi.get(server, "/actuator/meshproxies", "the server at " + server.base()
                    + " has no proxy status endpoint: is it a Gatemesh config server's management port?");
        } catch (ConfigServerApi.Failure e) {
            spec.commandLine().getErr().println("meshctl: " + e.getMessage());
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
        return TextTable.render(rows) + proxies.size() + (proxies.size() == 1 ? " proxy" : " proxies") + ", "
                + proxies.stream().filter(p -> "SYNCED".equals(p.get("state"))).count() + " synced.\n";
    }

    private static String text(Object value) {
        return TextTable.text(value);
    }
}
