package dev.gatemesh.proxy.route;

import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.IstioDuration;
import java.time.Duration;

/** DestinationRule {@code outlierDetection} -> {@link OutlierSettings} (null when unset): a pure function. */
public final class OutlierSettingsTranslator {

    private OutlierSettingsTranslator() {
    }

    public static OutlierSettings translate(DestinationRule.OutlierDetection detection) {
        if (detection == null) {
            return null;
        }
        return new OutlierSettings(
                detection.consecutive5xxErrors() == null ? OutlierSettings.DEFAULT_CONSECUTIVE_5XX : detection.consecutive5xxErrors(),
                detection.consecutiveGatewayErrors() == null ? 0 : detection.consecutiveGatewayErrors(),
                duration(detection.interval(), OutlierSettings.DEFAULT_INTERVAL),
                duration(detection.baseEjectionTime(), OutlierSettings.DEFAULT_BASE_EJECTION_TIME),
                detection.maxEjectionPercent() == null ? OutlierSettings.DEFAULT_MAX_EJECTION_PERCENT : detection.maxEjectionPercent(),
                detection.minHealthPercent() == null ? 0 : detection.minHealthPercent());
    }

    private static Duration duration(IstioDuration value, Duration otherwise) {
        return value == null || value.value().isZero() ? otherwise : value.value();
    }
}
