package com.acme.config;

import java.security.*;
import java.util.Random;
import javax.crypto.Cipher;
import javax.net.ssl.*;
import javax.servlet.http.*;
import javax.xml.XMLConstants;
import javax.xml.parsers.*;
import javax.xml.stream.XMLInputFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thoughtworks.xstream.XStream;

public class SecurityConfig {
    private static final String DB_PASSWORD = "Pr0d-Passw0rd!2024"; // expect: secret-generic
    private static final String API_KEY = "sk_live_9fK2mQ7xT4vB8nR1pL6wZ3cY"; // expect: secret-stripe-key
    private static final String PASSWORD_FIELD = "password"; // ok
    private static final String TOKEN_HEADER = "X-Auth-Token"; // ok
    private String dbPassword = System.getenv("DB_PASSWORD"); // ok
    private String jdbcUrl = "jdbc:postgresql://db.internal:5432/app?user=app&password=Wint3rIsH3re"; // expect: secret-connection-string
    private String secret = "changeme"; // ok
    private final Random random = new Random();
    private final SecureRandom secureRandom = new SecureRandom();

    byte[] digest(byte[] data) throws Exception {
        MessageDigest.getInstance("MD5").digest(data); // expect: java-weak-hash
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1"); // expect: java-weak-hash
        return MessageDigest.getInstance("SHA-256").digest(data); // ok
    }

    byte[] encrypt(byte[] data, Key key) throws Exception {
        Cipher des = Cipher.getInstance("DES/CBC/PKCS5Padding"); // expect: java-weak-cipher
        Cipher ecb = Cipher.getInstance("AES/ECB/PKCS5Padding"); // expect: java-weak-cipher
        Cipher rc4 = Cipher.getInstance("RC4"); // expect: java-weak-cipher
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding"); // ok
        return gcm.doFinal(data);
    }

    String newSessionToken() {
        long token = random.nextLong(); // expect: java-insecure-random
        String resetCode = Integer.toString(new Random().nextInt(999999)); // expect: java-insecure-random
        byte[] safeToken = new byte[32];
        secureRandom.nextBytes(safeToken); // ok
        return Long.toHexString(token);
    }

    int retryJitter() {
        return random.nextInt(250); // ok
    }

    void trustAll() throws Exception {
        TrustManager[] all = new TrustManager[] { new X509TrustManager() {
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {} // expect: java-trust-all-certificates
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {} // expect: java-trust-all-certificates
            public java.security.cert.X509Certificate[] getAcceptedIssuers() { return null; }
        } };
        HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true); // expect: java-hostname-verifier-all
        HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> host.equals("api.acme.com")); // ok
    }

    static class StrictVerifier implements HostnameVerifier {
        public boolean verify(String host, SSLSession session) { return true; } // expect: java-hostname-verifier-all
    }

    void cookies(HttpServletResponse resp, String sid) {
        Cookie weak = new Cookie("sid", sid); // expect: java-cookie-insecure
        resp.addCookie(weak);
    }

    void goodCookie(HttpServletResponse resp, String sid) {
        Cookie strong = new Cookie("sid", sid); // ok
        strong.setSecure(true);
        strong.setHttpOnly(true);
        resp.addCookie(strong);
    }

    void explicitlyInsecure(Cookie c) {
        c.setSecure(false); // expect: java-cookie-insecure
        c.setHttpOnly(true); // ok
    }

    void xxe(java.io.InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance(); // expect: java-xxe
        dbf.newDocumentBuilder().parse(in);
    }

    void noXxe(java.io.InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance(); // ok
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        dbf.newDocumentBuilder().parse(in);
    }

    void staxXxe() {
        XMLInputFactory xif = XMLInputFactory.newInstance(); // expect: java-xxe
    }

    void staxSafe() {
        XMLInputFactory xif = XMLInputFactory.newInstance(); // ok
        xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    }

    void saxXxe() throws Exception {
        SAXParserFactory spf = SAXParserFactory.newInstance(); // expect: java-xxe
        spf.newSAXParser();
    }

    Object jackson(String json) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enableDefaultTyping(); // expect: java-unsafe-deserialization-library
        XStream xs = new XStream();
        return xs.fromXML(json); // expect: java-unsafe-deserialization-library
    }

    Object plainJson(String json) throws Exception {
        return new ObjectMapper().readValue(json, Order.class); // ok
    }
}
