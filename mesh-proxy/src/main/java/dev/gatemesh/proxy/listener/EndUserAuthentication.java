package dev.gatemesh.proxy.listener;

import dev.gatemesh.proxy.authn.RequestAuthenticator;
import reactor.core.publisher.Mono;

/**
 * The authentication step of a listener: verifies the request's end-user token (RequestAuthentication) and takes a
 * token that is not to be forwarded out of the query; no token travelling in the query is ever shown by the access
 * log, forwarded or not.
 */
public final class EndUserAuthentication {

    private EndUserAuthentication() {
    }

    public static Mono<RequestAuthenticator.Result> authenticate(RequestAuthenticator authenticator, ServerRequestView view) {
        if (authenticator.isEmpty()) {
            return Mono.just(new RequestAuthenticator.Anonymous());
        }
        view.keepQueryParamsOutOfLog(authenticator.tokenParams());
        return authenticator.authenticate(view).doOnNext(result -> {
            if (result instanceof RequestAuthenticator.Authenticated user) {
                view.hideQueryParams(user.removeParams());
            }
        });
    }
}
