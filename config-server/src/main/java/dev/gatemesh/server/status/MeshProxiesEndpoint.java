package dev.gatemesh.server.status;

import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.push.ProxyStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/** {@code /actuator/meshproxies}: every connected proxy, its identity and whether it is in sync. */
@Endpoint(id = "meshproxies")
public class MeshProxiesEndpoint {

    private final ProxyHub hub;
    private final String trustDomain;

    public MeshProxiesEndpoint(ProxyHub hub, String trustDomain) {
        this.hub = hub;
        this.trustDomain = trustDomain;
    }

    @ReadOperation
    public Map<String, Object> proxies() {
        List<Map<String, Object>> proxies = hub.statuses().stream().map(this::describe).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("proxies", proxies);
        return out;
    }

    private Map<String, Object> describe(ProxyStatus status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", status.node().id());
        out.put("role", status.node().role().name());
        out.put("namespace", status.node().namespace());
        out.put("serviceAccount", status.node().serviceAccount());
        out.put("identity", "spiffe://" + trustDomain + "/ns/" + status.node().namespace() + "/sa/"
                + (status.node().serviceAccount() == null ? "default" : status.node().serviceAccount()));
        out.put("labels", status.node().labels());
        out.put("state", status.state().name());
        out.put("sentVersion", status.sentVersion());
        out.put("ackedVersion", status.ackedVersion());
        out.put("nackedVersion", status.nackedVersion());
        out.put("lastNackReason", status.nackReason());
        out.put("connectedSince", status.connectedSince().toString());
        out.put("sentAt", status.sentAt() == null ? null : status.sentAt().toString());
        out.put("ackedAt", status.ackedAt() == null ? null : status.ackedAt().toString());
        return out;
    }
}
