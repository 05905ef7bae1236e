using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Runtime.Serialization.Formatters.Binary;
using System.Security.Cryptography;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;

namespace Acme.Web
{
    public class Startup
    {
        private const string DbPassword = "Pr0d#Passw0rd!"; // expect: secret-generic
        private const string ConnectionString = "Server=db.internal;Database=app;User Id=sa;Password=S3cure!Pass;"; // expect: secret-connection-string
        private static readonly string ApiKey = "AKIAQ5EGUMT5ZLKDXW7R"; // expect: secret-aws-access-key
        private readonly string _envPassword = Environment.GetEnvironmentVariable("DB_PASSWORD"); // ok
        private const string PasswordParameter = "password"; // ok
        private const string LocalConnection = "Server=(localdb)\\mssqllocaldb;Database=app;Trusted_Connection=True;"; // ok

        public void Hashes(byte[] data)
        {
            var md5 = MD5.Create(); // expect: cs-weak-hash
            var sha1 = new SHA1CryptoServiceProvider(); // expect: cs-weak-hash
            var sha256 = SHA256.Create(); // ok
        }

        public void Ciphers(Aes aes)
        {
            var des = DES.Create(); // expect: cs-weak-cipher
            var tdes = TripleDES.Create(); // expect: cs-weak-cipher
            aes.Mode = CipherMode.ECB; // expect: cs-weak-cipher
            aes.Mode = CipherMode.CBC; // ok
        }

        public string NewResetToken()
        {
            var random = new Random();
            var token = random.Next().ToString("x8"); // expect: cs-insecure-random
            var bytes = RandomNumberGenerator.GetBytes(32); // ok
            return token;
        }

        public int Backoff()
        {
            return new Random().Next(100, 500); // ok
        }

        public void Tls(HttpClientHandler handler)
        {
            ServicePointManager.ServerCertificateValidationCallback = (sender, cert, chain, errors) => true; // expect: cs-cert-validation-disabled
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator; // expect: cs-cert-validation-disabled
            handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => e == System.Net.Security.SslPolicyErrors.None; // ok
        }

        public object Deserialize(Stream body, string json)
        {
            var formatter = new BinaryFormatter(); // expect: cs-insecure-deserialization
            var settings = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All }; // expect: cs-insecure-deserialization
            var plain = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None }; // ok
            return JsonConvert.DeserializeObject<Order>(json); // ok
        }

        public void Xml(Stream input)
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse }; // expect: cs-xxe
            var doc = new XmlDocument();
            doc.XmlResolver = new XmlUrlResolver(); // expect: cs-xxe
            var strict = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }; // ok
            doc.XmlResolver = null; // ok
        }

        public void Cookies(HttpResponse response, string sid)
        {
            response.Cookies.Append("sid", sid); // expect: cs-cookie-insecure
            response.Cookies.Append("sid", sid, new CookieOptions { HttpOnly = true }); // expect: cs-cookie-insecure
            response.Cookies.Append("sid", sid, new CookieOptions { Secure = true, HttpOnly = true, SameSite = SameSiteMode.Strict }); // ok
        }

        public void Cors(IApplicationBuilder app)
        {
            app.UseCors(p => p.AllowAnyOrigin().AllowAnyMethod()); // expect: cs-cors-any-origin
            app.UseCors(p => p.WithOrigins("https://app.acme.com")); // ok
        }

        public void Headers(HttpResponse response)
        {
            response.Headers.Add("Access-Control-Allow-Origin", "*"); // expect: cs-cors-any-origin
            response.Headers.Add("X-Frame-Options", "DENY"); // ok
        }
    }
}
