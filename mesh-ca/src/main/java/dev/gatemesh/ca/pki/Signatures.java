package dev.gatemesh.ca.pki;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Signing and verifying for certificates and CSRs. EC keys go through BouncyCastle's lightweight ECDSA,
 * whose P-256 field arithmetic and precomputed multiples of the generator make it several times faster
 * than the JDK 17 provider (bench/RESULTS.md); other keys (an RSA plugged-in CA) through JCA.
 */
public final class Signatures {

    private static final AlgorithmIdentifier SHA256_WITH_ECDSA = new DefaultSignatureAlgorithmIdentifierFinder()
            .find("SHA256withECDSA");
    private static final AlgorithmIdentifier SHA256 = new DefaultDigestAlgorithmIdentifierFinder().find(SHA256_WITH_ECDSA);

    private Signatures() {
    }

    /** A signer for SHA256withECDSA (EC keys) or SHA256withRSA (RSA keys). */
    public static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        if ("EC".equals(key.getAlgorithm())) {
            try {
                return new BcECContentSignerBuilder(SHA256_WITH_ECDSA, SHA256).build(PrivateKeyFactory.createKey(key.getEncoded()));
            } catch (IOException e) {
                throw new OperatorCreationException("cannot read the EC key: " + e.getMessage(), e);
            }
        }
        return new JcaContentSignerBuilder(key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA").build(key);
    }

    /** A verifier for signatures made with the key of {@code info} (a CSR's or a certificate's). */
    public static ContentVerifierProvider verifier(SubjectPublicKeyInfo info, PublicKey key) throws OperatorCreationException {
        if ("EC".equals(key.getAlgorithm())) {
            try {
                return new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder())
                        .build(PublicKeyFactory.createKey(info));
            } catch (IOException e) {
                throw new OperatorCreationException("cannot read the EC key: " + e.getMessage(), e);
            }
        }
        return new JcaContentVerifierProviderBuilder().build(key);
    }
}
