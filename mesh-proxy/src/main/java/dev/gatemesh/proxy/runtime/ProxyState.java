package dev.gatemesh.proxy.runtime;

import dev.gatemesh.proxy.authn.RequestAuthenticator;
import dev.gatemesh.proxy.inbound.Authorizer;
import dev.gatemesh.proxy.inbound.PeerAuthenticationPolicy;
import dev.gatemesh.proxy.route.RouteTable;

/** Everything a sidecar serves with, from one snapshot: swapped whole, so a request sees one version. */
public record ProxyState(String version, RouteTable routes, PeerAuthenticationPolicy peerAuthentication,
                         RequestAuthenticator requestAuthentication, Authorizer authorizer) {
}
