<?php
// Account pages of a small shop (plain PHP, mysqli and PDO).

$db_password = 'Sh0p-Adm1n-2024'; // expect: secret-generic
define('API_SECRET', 'q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYa'); // expect: secret-generic
$dsn_password = getenv('DB_PASSWORD'); // ok
$config = ['password' => 'R3dis#Cache!9', 'host' => 'cache.internal']; // expect: secret-generic
$labels = ['password' => 'Password', 'token' => 'Token']; // ok

$conn = mysqli_connect('db.internal', 'shop', $dsn_password, 'shop');
$pdo = new PDO('mysql:host=db.internal;dbname=shop', 'shop', $dsn_password);

function find_user($conn)
{
    $id = $_GET['id'];
    $r = mysqli_query($conn, "SELECT * FROM users WHERE id = '$id'"); // expect: php-sql-concat
    $r = mysqli_query($conn, 'SELECT * FROM users WHERE name = \'' . $_POST['name'] . '\''); // expect: php-sql-concat
    $safe_id = (int)$_GET['id'];
    $r = mysqli_query($conn, "SELECT * FROM users WHERE id = $safe_id"); // ok
    $r = mysqli_query($conn, 'SELECT * FROM users WHERE id = ' . intval($_GET['id'])); // ok
    $r = mysqli_query($conn, 'SELECT COUNT(*) FROM users'); // ok
    return $r;
}

function search_products($pdo)
{
    $term = $_REQUEST['q'];
    $sql = "SELECT * FROM products WHERE title LIKE '%" . $term . "%'";
    $rows = $pdo->query($sql); // expect: php-sql-concat
    $stmt = $pdo->prepare('SELECT * FROM products WHERE title LIKE ?'); // ok
    $stmt->bindParam(1, $term);
    $stmt->execute(); // ok
    $order = build_order($_GET['sort']);
    $rows = $pdo->query('SELECT * FROM products ORDER BY ' . $order); // expect: php-sql-concat
    return $rows;
}

function build_order($column)
{
    return $column . ' DESC';
}

function tools()
{
    $host = $_GET['host'];
    system('ping -c 1 ' . $host); // expect: php-command
    $out = shell_exec("nslookup " . $_POST['domain']); // expect: php-command
    $listing = `ls -la $host`; // expect: php-command
    passthru('traceroute ' . $host); // expect: php-command
    exec('whois ' . escapeshellarg($host)); // ok
    system('uptime'); // ok
    $files = `ls /var/log`; // ok
}

function dynamic_code()
{
    eval($_POST['expr']); // expect: php-eval
    assert($_GET['check']); // expect: php-eval
    eval('return 40 + 2;'); // ok
    include $_GET['page'] . '.php'; // expect: php-include
    require 'templates/' . $_GET['tpl']; // expect: php-include
    include __DIR__ . '/header.php'; // ok
    require_once 'config.php'; // ok
}

function cart()
{
    $cart = unserialize($_COOKIE['cart']); // expect: php-unserialize
    $cart2 = unserialize(base64_decode($_POST['data'])); // expect: php-unserialize
    $prefs = json_decode($_COOKIE['prefs'], true); // ok
    $safe = unserialize($_COOKIE['cart'], ['allowed_classes' => false]); // ok
    return $cart;
}

function greet()
{
    echo 'Hello ' . $_GET['name']; // expect: php-tainted-xss
    $comment = $_POST['comment'];
    echo "<p>$comment</p>"; // expect: php-tainted-xss
    print $_GET['q']; // expect: php-tainted-xss
    echo 'Hello ' . htmlspecialchars($_GET['name'], ENT_QUOTES, 'UTF-8'); // ok
    echo '<p>' . htmlentities($comment) . '</p>'; // ok
    echo 'Welcome back'; // ok
    echo 'Page ' . (int)$_GET['page']; // ok
}

function files()
{
    $name = $_GET['file'];
    readfile('/srv/files/' . $name); // expect: php-tainted-path
    $data = file_get_contents('/srv/reports/' . $_POST['report']); // expect: php-tainted-path
    unlink('/tmp/uploads/' . $name); // expect: php-tainted-path
    readfile('/srv/files/' . basename($name)); // ok
    $tpl = file_get_contents($_SERVER['DOCUMENT_ROOT'] . '/tpl/main.html'); // ok
}

function go()
{
    header('Location: ' . $_GET['next']); // expect: php-tainted-redirect
    $target = $_POST['return_to'];
    header("Location: $target"); // expect: php-tainted-redirect
    header('Location: /login'); // ok
    header('Content-Type: text/html; charset=utf-8'); // ok
}

function fetch()
{
    $ch = curl_init($_GET['url']); // expect: php-tainted-ssrf
    $ch2 = curl_init();
    curl_setopt($ch2, CURLOPT_URL, $_POST['webhook']); // expect: php-tainted-ssrf
    curl_setopt($ch2, CURLOPT_RETURNTRANSFER, true); // ok
    $ch3 = curl_init('https://api.example.org/status'); // ok
}

function login()
{
    $_SESSION['user'] = $_POST['user']; // expect: php-tainted-session
    $_SESSION['role'] = $_GET['role']; // expect: php-tainted-session
    $_SESSION['visits'] = 1; // ok
    $_SESSION['last_seen'] = time(); // ok
}
