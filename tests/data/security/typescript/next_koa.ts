// Next.js route handlers, Koa middleware and Node services in TypeScript.
import { exec } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as fs from 'node:fs';
import path from 'node:path';
import Koa from 'koa';
import axios from 'axios';
import { Pool } from 'pg';
import ldap from 'ldapjs';
import xpath from 'xpath';

const pool = new Pool();
const client = ldap.createClient({ url: 'ldap://ldap.example.org' });
const ALLOWED = new Set(['alpha', 'beta']);

export async function GET(request: Request) {
  const url = new URL(request.url);
  const id = url.searchParams.get('id');
  const rows = await pool.query(`SELECT * FROM items WHERE id = ${id}`); // expect: js-tainted-sql
  return Response.json(rows);
}

export async function POST(request: Request) {
  const body = await request.json();
  const target: string = body.callback;
  await fetch(target, { method: 'POST' }); // expect: js-tainted-ssrf
  return new Response('ok');
}

export async function PUT(request: Request) {
  const body = await request.json();
  const rows = await pool.query('UPDATE items SET name = $1 WHERE id = $2', [body.name, body.id]); // ok
  return Response.json(rows);
}

function filterFor(uid: string): string {
  return '(&(objectClass=person)(uid=' + uid + '))';
}

const koa = new Koa();

koa.use(async (ctx) => {
  const name = ctx.query.name as string;
  const data = await readFile(path.join('/srv/data', name)); // expect: js-tainted-path
  ctx.body = data;
});

koa.use(async (ctx) => {
  const uid = ctx.query.uid as string;
  client.search('dc=example,dc=org', { filter: filterFor(uid) }, () => {}); // expect: js-tainted-ldap
});

koa.use(async (ctx) => {
  const name = ctx.query.name as string;
  const nodes = xpath.select("//user[@name='" + name + "']", ctx.state.doc); // expect: js-tainted-xpath
  ctx.body = String(nodes.length);
});

koa.use(async (ctx) => {
  const tool = ctx.request.body.tool as string;
  if (!ALLOWED.has(tool)) {
    return;
  }
  exec('run-' + tool); // ok: sanitised request value (no hotspot once taint proves the flow clean)
});

koa.use(async (ctx) => {
  const response = await axios.get(ctx.query.url as string); // expect: js-tainted-ssrf
  ctx.body = response.data;
});

export function report(dir: string): string[] {
  return fs.readdirSync(dir); // ok: a library function reading its argument
}

export function backup(): void {
  const command: string = 'tar czf /backup/db.tgz /var/lib/db';
  exec(command); // ok: constant
}
