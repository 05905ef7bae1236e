#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <openssl/md5.h>
#include <openssl/ssl.h>
#include <curl/curl.h>

#define LOG_FORMAT "request %d from %s\n"
#define DB_PASSWORD "Pr0d-Passw0rd!2024" /* expect: secret-generic */
static const char *api_key = "q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYa"; /* expect: secret-generic */
static const char *password_env = "DB_PASSWORD"; /* ok */

void log_request(const char *client, int id, const char *msg)
{
    printf(msg); /* expect: c-format-string */
    fprintf(stderr, msg); /* expect: c-format-string */
    syslog(LOG_ERR, msg); /* expect: c-format-string */
    printf("%s\n", msg); /* ok */
    fprintf(stderr, LOG_FORMAT, id, client); /* ok */
    syslog(LOG_INFO, "client %s", client); /* ok */
}

void handle(int sock)
{
    char buf[256];
    char name[32];
    char query[512];
    recv(sock, buf, sizeof buf, 0);
    system(buf); /* expect: c-command-exec */
    printf(buf); /* expect: c-format-string */
    strcpy(name, buf); /* expect: c-buffer-overflow */
    strcat(name, buf); /* expect: c-buffer-overflow */
    sprintf(query, "SELECT * FROM users WHERE name = '%s'", buf); /* expect: c-sql-format */
    snprintf(name, sizeof name, "%s", buf); /* ok */
    strcpy(name, "guest"); /* ok */
    system("uptime"); /* ok */
}

void run_tool(const char *arg)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ls -l %s", arg);
    system(cmd); /* expect: c-command-exec */
    FILE *p = popen(cmd, "r"); /* expect: c-command-exec */
    execl("/bin/sh", "sh", "-c", arg, (char *)0); /* expect: c-command-exec */
    execl("/bin/ls", "ls", "-l", arg, (char *)0); /* ok */
    FILE *q = popen("df -h", "r"); /* ok */
}

void read_input(void)
{
    char line[64];
    char word[16];
    gets(line); /* expect: c-gets */
    scanf("%s", word); /* expect: c-scanf-unbounded */
    fgets(line, sizeof line, stdin); /* ok */
    scanf("%15s", word); /* ok */
    sscanf(line, "%d", &line[0]); /* ok */
}

void greet(const char *user)
{
    char msg[64];
    sprintf(msg, "Hello %s", user); /* expect: c-buffer-overflow */
    sprintf(msg, "Hello %d", 42); /* ok */
}

unsigned int new_session_token(void)
{
    unsigned int token = rand(); /* expect: c-insecure-random */
    int jitter = rand() % 100; /* ok */
    return token + jitter;
}

void digest(const unsigned char *data, size_t n, unsigned char *out)
{
    MD5(data, n, out); /* expect: c-weak-hash */
    const EVP_MD *md = EVP_sha1(); /* expect: c-weak-hash */
    const EVP_MD *good = EVP_sha256(); /* ok */
    const EVP_CIPHER *c = EVP_des_ede3_cbc(); /* expect: c-weak-cipher */
    const EVP_CIPHER *g = EVP_aes_256_gcm(); /* ok */
}

void tls(SSL_CTX *ctx, CURL *curl)
{
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* expect: c-tls-verify-none */
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L); /* expect: c-tls-verify-none */
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L); /* expect: c-tls-verify-none */
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL); /* ok */
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L); /* ok */
}

void temp_files(void)
{
    char *name = tmpnam(NULL); /* expect: c-insecure-temp-file */
    char tmpl[] = "/tmp/appXXXXXX";
    mktemp(tmpl); /* expect: c-insecure-temp-file */
    int fd = mkstemp(tmpl); /* ok */
}

int main(int argc, char **argv)
{
    char path[64];
    strcpy(path, argv[1]); /* expect: c-buffer-overflow */
    system(argv[2]); /* expect: c-command-exec */
    printf(getenv("GREETING")); /* expect: c-format-string */
    printf("%s\n", getenv("HOME")); /* ok */
    return 0;
}
