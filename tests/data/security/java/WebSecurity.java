package com.acme.config;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import javax.servlet.http.HttpServletResponse;

public class WebSecurity {
    void configure(HttpSecurity http) throws Exception {
        http.csrf().disable(); // expect: java-spring-csrf-disabled
        http.authorizeRequests().anyRequest().authenticated(); // ok
    }

    void configureLambda(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable()); // expect: java-spring-csrf-disabled
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/webhook")); // ok
    }

    void headers(HttpSecurity http) throws Exception {
        http.headers().frameOptions().disable(); // expect: java-spring-headers-disabled
        http.headers(h -> h.disable()); // expect: java-spring-headers-disabled
        http.headers().frameOptions().sameOrigin(); // ok
    }

    void cors(CorsRegistry registry) {
        registry.addMapping("/api/**").allowedOrigins("*"); // expect: java-cors-any-origin
        registry.addMapping("/app/**").allowedOrigins("https://app.acme.com"); // ok
    }

    void header(HttpServletResponse resp) {
        resp.setHeader("Access-Control-Allow-Origin", "*"); // expect: java-cors-any-origin
        resp.setHeader("Access-Control-Allow-Origin", "https://app.acme.com"); // ok
        resp.setHeader("Cache-Control", "no-store"); // ok
    }
}
