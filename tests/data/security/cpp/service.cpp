#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <openssl/sha.h>

namespace acme {

const std::string kDbPassword = "Sup3r-S3cret-2024"; // expect: secret-generic
const std::string kPasswordKey = "password"; // ok

void run(const std::string &host)
{
    std::string cmd = "ping -c 1 " + host;
    std::system(cmd.c_str()); // expect: c-command-exec
    system(("nslookup " + host).c_str()); // expect: c-command-exec
    std::system("uptime"); // ok
    FILE *p = popen(cmd.c_str(), "r"); // expect: c-command-exec
}

void log(const std::string &msg, int code)
{
    std::printf(msg.c_str()); // expect: c-format-string
    printf(msg.c_str()); // expect: c-format-string
    std::printf("%s (%d)\n", msg.c_str(), code); // ok
    std::cout << msg << std::endl; // ok
}

void copy(const char *input)
{
    char buf[16];
    std::strcpy(buf, input); // expect: c-buffer-overflow
    strcat(buf, input); // expect: c-buffer-overflow
    std::snprintf(buf, sizeof buf, "%s", input); // ok
    std::strncpy(buf, input, sizeof buf - 1); // ok
}

std::string read_name()
{
    std::string name;
    std::cin >> name;
    char line[32];
    std::cin.getline(line, sizeof line); // ok
    std::system(("echo " + name).c_str()); // expect: c-command-exec
    return name;
}

unsigned long make_api_key()
{
    unsigned long api_key = std::rand(); // expect: c-insecure-random
    int backoff = std::rand() % 10; // ok
    return api_key + backoff;
}

void hash(const unsigned char *d, size_t n, unsigned char *out)
{
    SHA1(d, n, out); // expect: c-weak-hash
    SHA256(d, n, out); // ok
}

void temp()
{
    char *name = std::tmpnam(nullptr); // expect: c-insecure-temp-file
    std::FILE *f = std::tmpfile(); // ok
}

}  // namespace acme
