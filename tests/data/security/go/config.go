package config

import (
	"crypto/des"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	crand "crypto/rand"
	"crypto/rsa"
	"net"
	"math/rand"
	"net/http"
	"os"
	"text/template"

	"github.com/go-ldap/ldap/v3"
	"github.com/rs/cors"
)

const dbPassword = "Sup3r-S3cret-2024" // expect: secret-generic
var apiToken string = "tok_live_8Kq2mZ7vT1wY5rLd" // expect: secret-generic
var awsKey = "AKIAQ4EGUMT5ZLKDXW7R" // expect: secret-aws-access-key
var dsn = "postgres://app:Wint3rIsH3re@db.internal:5432/app?sslmode=disable" // expect: secret-connection-string
var envPassword = os.Getenv("DB_PASSWORD") // ok
var passwordEnvName = "DB_PASSWORD" // ok
var defaultPassword = "" // ok
var tokenHeader = "X-Auth-Token" // ok
var settings = map[string]string{
	"api_key": "q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYa", // expect: secret-generic
	"region":  "eu-west-1", // ok
}

func hashes(data []byte) {
	md5.Sum(data) // expect: go-weak-hash
	h := sha1.New() // expect: go-weak-hash
	_ = h
	sha256.Sum256(data) // ok
}

func ciphers(key []byte) {
	des.NewCipher(key) // expect: go-weak-cipher
	rc4.NewCipher(key) // expect: go-weak-cipher
}

func tlsConfigs() []*tls.Config {
	return []*tls.Config{
		{InsecureSkipVerify: true}, // expect: go-tls-insecure-skip-verify
		{MinVersion: tls.VersionTLS10}, // expect: go-tls-min-version
		{MinVersion: tls.VersionTLS12}, // ok
		{InsecureSkipVerify: false}, // ok
	}
}

func client() *http.Client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{}}
	tr.TLSClientConfig.InsecureSkipVerify = true // expect: go-tls-insecure-skip-verify
	return &http.Client{Transport: tr}
}

func newSessionToken() string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 32)
	for i := range b {
		b[i] = letters[rand.Intn(len(letters))] // expect: go-insecure-random
	}
	return string(b)
}

func retryDelay() int {
	return rand.Intn(500) // ok
}

func cookies(w http.ResponseWriter, sid string) {
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid}) // expect: go-cookie-insecure
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode}) // ok
}

func corsHeaders(w http.ResponseWriter) {
	w.Header().Set("Access-Control-Allow-Origin", "*") // expect: go-cors-any-origin
	w.Header().Set("Access-Control-Allow-Origin", "https://app.example.org") // ok
	w.Header().Set("Content-Type", "text/html") // ok
}

var corsOptions = cors.Options{AllowedOrigins: []string{"*"}} // expect: go-cors-any-origin
var corsStrict = cors.Options{AllowedOrigins: []string{"https://app.example.org"}} // ok

var page = template.Must(template.New("p").Parse("<h1>{{.}}</h1>"))

func render(w http.ResponseWriter, r *http.Request) {
	page.Execute(w, r.FormValue("title")) // expect: go-text-template-html
	page.Execute(os.Stdout, "report") // ok
}

func findUser(w http.ResponseWriter, r *http.Request, conn *ldap.Conn) {
	uid := r.FormValue("uid")
	req := ldap.NewSearchRequest("dc=acme,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(uid="+uid+")", []string{"cn"}, nil) // expect: go-ldap-filter
	conn.Search(req)
	safe := ldap.NewSearchRequest("dc=acme,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(uid="+ldap.EscapeFilter(uid)+")", []string{"cn"}, nil) // ok
	conn.Search(safe)
}

var jwtSigningKey = []byte("my-signing-s3cret-2024") // expect: secret-generic
var jwtKeyFromEnv = []byte(os.Getenv("JWT_KEY")) // ok

func keys() {
	rsa.GenerateKey(crand.Reader, 1024) // expect: go-weak-key-size
	rsa.GenerateKey(crand.Reader, 3072) // ok
}

func files(data []byte) {
	os.WriteFile("/var/app/state.json", data, 0666) // expect: go-file-permissions
	os.MkdirAll("/var/app/cache", 0777) // expect: go-file-permissions
	os.WriteFile("/var/app/state.json", data, 0600) // ok
	os.MkdirAll("/var/app/cache", 0750) // ok
}

func listen() {
	net.Listen("tcp", "0.0.0.0:9000") // expect: go-bind-all-interfaces
	net.Listen("tcp", "127.0.0.1:9000") // ok
}
