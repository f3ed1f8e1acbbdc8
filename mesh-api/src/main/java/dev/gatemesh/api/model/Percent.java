package dev.gatemesh.api.model;

/** Istio's Percent: a percentage 0..100 with decimals. */
public record Percent(Double value) {
}
