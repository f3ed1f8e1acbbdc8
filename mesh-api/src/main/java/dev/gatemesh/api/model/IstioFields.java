package dev.gatemesh.api.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares, on a model record, the fields Istio's message has beyond the record's own components.
 * {@link #unsupported()}: Istio has them, Gatemesh does not implement them (an error for security
 * kinds, a warning for traffic kinds). {@link #ignored()}: accepted and dropped without a word
 * (Kubernetes bookkeeping such as {@code resourceVersion}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface IstioFields {

    String[] unsupported() default {};

    String[] ignored() default {};
}
