package dev.gatemesh.proxy.state;

import dev.gatemesh.proxy.authn.RequestAuthenticator;
import dev.gatemesh.proxy.inbound.Authorizer;
import dev.gatemesh.proxy.inbound.PeerAuthenticationPolicy;
import dev.gatemesh.proxy.route.GatewayTable;
import dev.gatemesh.proxy.route.RouteTable;

/**
 * Everything a proxy serves with, from one snapshot: swapped whole, so a request sees one version.
 *
 * @param gateways a gateway's listeners and their routes; null for a sidecar
 */
public record ProxyState(String version, RouteTable routes, PeerAuthenticationPolicy peerAuthentication,
                         RequestAuthenticator requestAuthentication, Authorizer authorizer, GatewayTable gateways) {
}
