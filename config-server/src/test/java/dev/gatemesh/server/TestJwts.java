package dev.gatemesh.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;

/** An issuer of end-user tokens for tests: one RSA key, its JWKS for a RequestAuthentication, and signed tokens. */
final class TestJwts {

    private final RSAKey key;
    private final String issuer;

    TestJwts(String issuer) throws JOSEException {
        this.key = new RSAKeyGenerator(2048).keyID("k1").generate();
        this.issuer = issuer;
    }

    /** The public key set, as a RequestAuthentication's inline {@code jwks}. */
    String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A token for {@code subject}, valid for an hour. */
    String token(String subject) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(issuer).subject(subject)
                        .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
