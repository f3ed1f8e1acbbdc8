package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.TlsCredential;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.ClientAuth;
import org.junit.jupiter.api.Test;

class CredentialValidatorTests {

    private static final CredentialValidator.Origins ORIGINS =
            new CredentialValidator.Origins("web/tls.crt", "web/tls.key", "web/ca.crt");

    private static TlsCredential credential(String certificate, String key, String ca) {
        return new TlsCredential("web", certificate, key, ca, "1");
    }

    @Test
    void acceptsPkcs8AndPkcs1RsaKeys() {
        TestCredentials rsa = TestCredentials.rsa("web.example.com");
        assertThat(rsa.traditionalKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(CredentialValidator.validate(credential(rsa.certificatePem(), rsa.pkcs8KeyPem(), null), ORIGINS)).isEmpty();
        assertThat(CredentialValidator.validate(credential(rsa.certificatePem(), rsa.traditionalKeyPem(), null), ORIGINS)).isEmpty();
    }

    @Test
    void acceptsPkcs8AndSec1EcKeysWithClientCas() {
        TestCredentials ec = TestCredentials.ec("web.example.com");
        TestCredentials ca = TestCredentials.ec("clients");
        assertThat(ec.traditionalKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(CredentialValidator.validate(credential(ec.certificatePem(), ec.pkcs8KeyPem(), ca.certificatePem()), ORIGINS))
                .isEmpty();
        assertThat(CredentialValidator.validate(credential(ec.certificatePem(), ec.traditionalKeyPem(), null), ORIGINS)).isEmpty();
    }

    @Test
    void rejectsAKeyOfAnotherCertificate() {
        TestCredentials first = TestCredentials.ec("web.example.com");
        TestCredentials second = TestCredentials.ec("web.example.com");
        assertThat(CredentialValidator.validate(credential(first.certificatePem(), second.pkcs8KeyPem(), null), ORIGINS))
                .containsExactly("web/tls.key: does not match the public key of the first certificate in web/tls.crt"
                        + " (CN=web.example.com); expected the private key of that certificate"
                        + " (were the certificate and the key updated together?)");
    }

    @Test
    void rejectsAKeyOfAnotherAlgorithm() {
        TestCredentials ec = TestCredentials.ec("web.example.com");
        TestCredentials rsa = TestCredentials.rsa("web.example.com");
        assertThat(CredentialValidator.validate(credential(ec.certificatePem(), rsa.pkcs8KeyPem(), null), ORIGINS))
                .singleElement().asString().startsWith("web/tls.key: is an RSA key but the certificate in web/tls.crt");
    }

    @Test
    void reportsEveryProblemWithoutQuotingTheKey() {
        String garbageKey = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0IGtleSBtYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";
        assertThat(CredentialValidator.validate(credential("not a certificate", garbageKey, "nor this"), ORIGINS))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("web/tls.crt: "))
                .anySatisfy(p -> assertThat(p).startsWith("web/tls.key: not a private key; expected an unencrypted PEM"))
                .anySatisfy(p -> assertThat(p).startsWith("web/ca.crt: "))
                .noneSatisfy(p -> assertThat(p).contains("c2VjcmV0"));
    }

    @Test
    void reportsMissingParts() {
        assertThat(CredentialValidator.validate(credential(null, "", null), ORIGINS)).containsExactly(
                "web/tls.crt: missing or empty; expected the server certificate chain (PEM \"CERTIFICATE\" blocks)",
                "web/tls.key: missing or empty; expected an unencrypted PEM private key"
                        + " (\"PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\")");
    }

    @Test
    void buildsServerContextsFromPkcs1KeysWithAndWithoutClientAuthentication() {
        TestCredentials rsa = TestCredentials.rsa("web.example.com");
        TestCredentials ca = TestCredentials.ec("clients");
        TlsCredential credential = credential(rsa.certificatePem(), rsa.traditionalKeyPem(), ca.certificatePem());
        assertThat(CredentialSslContexts.server(credential, ClientAuth.NONE).isServer()).isTrue();
        assertThat(CredentialSslContexts.server(credential, ClientAuth.REQUIRE).isServer()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CredentialSslContexts.server(
                        credential(rsa.certificatePem(), rsa.pkcs8KeyPem(), null), ClientAuth.REQUIRE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no client CA certificates");
    }
}
