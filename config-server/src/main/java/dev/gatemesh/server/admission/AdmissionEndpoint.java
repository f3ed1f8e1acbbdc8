package dev.gatemesh.server.admission;

import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The admission webhooks on the mesh port (TLS with the serving certificate, whose roots the webhook configurations'
 * caBundle holds): {@code POST /inject} and {@code POST /validate}, AdmissionReview v1 in and out.
 */
public final class AdmissionEndpoint {

    private final InjectionWebhook injection;
    private final ValidationWebhook validation;

    public AdmissionEndpoint(InjectionWebhook injection, ValidationWebhook validation) {
        this.injection = injection;
        this.validation = validation;
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .POST(InjectionWebhook.PATH, request -> answer(request, injection::handle))
                .POST(ValidationWebhook.PATH, request -> answer(request, validation::handle))
                .build();
    }

    /** Off the event loop: injection may read the namespace from the API server. */
    private static Mono<ServerResponse> answer(ServerRequest request, Function<String, WebhookAnswer> webhook) {
        return request.bodyToMono(String.class).defaultIfEmpty("")
                .publishOn(Schedulers.boundedElastic())
                .map(webhook)
                .flatMap(answer -> ServerResponse.status(answer.status()).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(answer.json()));
    }
}
