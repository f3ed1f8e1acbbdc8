package dev.gatemesh.server.management;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may read the config server's management port, under {@code gatemesh.server.management}.
 *
 * @param token the management credential (sent as {@code Authorization: Bearer <token>}); when empty, one is
 *              generated into {@code <home>/management-token}, readable by the server's user only
 */
@ConfigurationProperties("gatemesh.server.management")
public record ManagementProperties(String token) {
}
