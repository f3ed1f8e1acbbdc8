package dev.gatemesh.server.admission;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
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

    static final int MAX_REVIEW_BYTES = 8 << 20;

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

    /**
     * Off the event loop: injection may read the namespace from the API server. A review holds the object and, on
     * update, its old version; the API server caps an object near 1.5 MiB, so {@link #MAX_REVIEW_BYTES} is room
     * enough (the codecs' default of 256 KiB is not).
     */
    private static Mono<ServerResponse> answer(ServerRequest request, Function<String, WebhookAnswer> webhook) {
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), MAX_REVIEW_BYTES)
                .map(AdmissionEndpoint::text)
                .defaultIfEmpty("")
                .publishOn(Schedulers.boundedElastic())
                .map(webhook)
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(new WebhookAnswer(413, AdmissionJson.write(
                        java.util.Map.of("error", "the review is larger than " + MAX_REVIEW_BYTES + " bytes")))))
                .flatMap(answer -> ServerResponse.status(answer.status()).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(answer.json()));
    }

    private static String text(DataBuffer buffer) {
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
