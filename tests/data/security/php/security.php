<?php

class TokenService
{
    public function newResetToken()
    {
        $token = md5(mt_rand()); // expect: php-insecure-random
        $sessionToken = uniqid(); // expect: php-insecure-random
        $safeToken = bin2hex(random_bytes(32)); // ok
        $delay = rand(1, 5); // ok
        return $token;
    }

    public function hashPassword($password)
    {
        $h = md5($password); // expect: php-weak-hash
        $h2 = sha1($password . 'salt'); // expect: php-weak-hash
        $h3 = hash('sha1', $password); // expect: php-weak-hash
        $good = password_hash($password, PASSWORD_DEFAULT); // ok
        $digest = hash('sha256', $password); // ok
        return $good;
    }

    public function encrypt($data, $key)
    {
        $c = openssl_encrypt($data, 'des-ede3', $key); // expect: php-weak-cipher
        $c2 = openssl_encrypt($data, 'aes-128-ecb', $key); // expect: php-weak-cipher
        $c3 = mcrypt_encrypt(MCRYPT_RIJNDAEL_128, $key, $data, MCRYPT_MODE_CBC); // expect: php-weak-cipher
        $ok = openssl_encrypt($data, 'aes-256-gcm', $key, 0, $iv, $tag); // ok
        return $ok;
    }

    public function parseXml($body)
    {
        $x = simplexml_load_string($body, 'SimpleXMLElement', LIBXML_NOENT); // expect: php-xxe
        $d = new DOMDocument();
        $d->loadXML($body, LIBXML_NOENT | LIBXML_DTDLOAD); // expect: php-xxe
        libxml_disable_entity_loader(false); // expect: php-xxe
        $safe = simplexml_load_string($body); // ok
        $d->loadXML($body); // ok
        return $x;
    }

    public function cookies($sid)
    {
        setcookie('sid', $sid); // expect: php-cookie-insecure
        setcookie('sid', $sid, time() + 3600, '/', '', false, true); // expect: php-cookie-insecure
        setcookie('sid', $sid, ['expires' => time() + 3600, 'secure' => true, 'httponly' => true, 'samesite' => 'Strict']); // ok
        setcookie('sid', $sid, time() + 3600, '/', '', true, true); // ok
    }

    public function cors()
    {
        header('Access-Control-Allow-Origin: *'); // expect: php-cors-any-origin
        header('Access-Control-Allow-Origin: https://shop.example.org'); // ok
    }

    public function directory($conn)
    {
        $user = $_POST['user'];
        $r = ldap_search($conn, 'dc=shop,dc=org', '(uid=' . $user . ')'); // expect: php-ldap-injection
        $r2 = ldap_search($conn, 'dc=shop,dc=org', '(uid=' . ldap_escape($user, '', LDAP_ESCAPE_FILTER) . ')'); // ok
        $doc = new DOMDocument();
        $xp = new DOMXPath($doc);
        $nodes = $xp->query("//user[@name='" . $user . "']"); // expect: php-xpath-injection
        $all = $xp->query("//user[@active='1']"); // ok
        return $r;
    }
}

class OrderController
{
    public function show(Request $request)
    {
        $id = $request->input('id');
        return DB::select("SELECT * FROM orders WHERE id = " . $id); // expect: php-sql-concat
    }

    public function list(Request $request)
    {
        if ($request->isMethod('post')) {
            return DB::select('SELECT * FROM orders WHERE owner = ?', [$request->user()->id]); // ok
        }
        return DB::select('SELECT * FROM orders'); // ok
    }
}
