package com.acme.api;

import java.security.KeyPairGenerator;
import javax.net.ssl.SSLContext;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.apache.commons.lang3.SerializationUtils;
import org.jsoup.Jsoup;
import org.springframework.web.bind.annotation.*;

@CrossOrigin // expect: java-cors-any-origin
@RestController
public class ApiSupport {
    private final OkHttpClient http = new OkHttpClient();

    @CrossOrigin(origins = "https://app.acme.com") // ok
    @GetMapping("/preview")
    public String preview(@RequestParam String link) throws Exception {
        Request req = new Request.Builder().url(link).build(); // expect: java-tainted-ssrf
        Request fixed = new Request.Builder().url("https://status.acme.com").build(); // ok
        String title = Jsoup.connect(link).get().title(); // expect: java-tainted-ssrf
        return title;
    }

    @PostMapping("/restore")
    public Object restore(@RequestBody byte[] body) {
        return SerializationUtils.deserialize(body); // expect: java-object-input-stream
    }

    @CrossOrigin(origins = "*") // expect: java-cors-any-origin
    @GetMapping("/public")
    public String open() {
        return "ok";
    }

    SSLContext legacyContext() throws Exception {
        return SSLContext.getInstance("TLSv1"); // expect: java-weak-tls
    }

    SSLContext modernContext() throws Exception {
        return SSLContext.getInstance("TLSv1.3"); // ok
    }

    void keys() throws Exception {
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024); // expect: java-weak-key-size
        KeyPairGenerator strong = KeyPairGenerator.getInstance("RSA");
        strong.initialize(3072); // ok
    }
}
