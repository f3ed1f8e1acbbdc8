package dev.gatemesh.proxy.path;

/**
 * A request's path as everything after the listener sees it: the normalized path (routed, checked and forwarded), and
 * the other reading a policy must also hold for. BASE keeps {@code //admin} and {@code /%2Fadmin} (as Istio's does),
 * MERGE_SLASHES keeps the latter, and many apps read both as {@code /admin}; so under those two options a policy
 * decides on both readings, and a path whose other reading cannot be normalized (it climbs above the root once its
 * encoded slashes are decoded) is refused. NONE is documented as open to such bypasses and has one reading.
 *
 * @param path         the normalized path (null when refused)
 * @param otherReading the path with encoded slashes decoded and slashes merged, when that differs; else null
 * @param rejection    why the path is refused with 400, or null
 */
public record PolicyPath(String path, String otherReading, String rejection) {

    public static PolicyPath of(String rawPath, PathNormalization option) {
        PathNormalizer.Result normalized = PathNormalizer.normalize(rawPath, option);
        if (normalized instanceof PathNormalizer.Invalid invalid) {
            return new PolicyPath(null, null, invalid.reason());
        }
        String path = ((PathNormalizer.Normalized) normalized).path();
        if ((option != PathNormalization.BASE && option != PathNormalization.MERGE_SLASHES)
                || !PathNormalizer.mayBeReadOtherwise(path)) {
            return new PolicyPath(path, null, null);
        }
        PathNormalizer.Result strictest = PathNormalizer.normalize(path, PathNormalization.DECODE_AND_MERGE_SLASHES);
        if (strictest instanceof PathNormalizer.Invalid invalid) {
            return new PolicyPath(null, null, invalid.reason() + " once its encoded slashes are decoded, as many apps do");
        }
        String other = ((PathNormalizer.Normalized) strictest).path();
        return new PolicyPath(path, other.equals(path) ? null : other, null);
    }
}
