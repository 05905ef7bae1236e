"""`guardline demo`: build a small, deterministic git repository with human and AI history.

The history spans thirteen weeks and mixes the kinds of evidence guardline reads: a Claude Code footer
with Co-Authored-By, a Copilot coding-agent author, an Aider author, a Cursor agent author, a git-ai note
(refs/notes/ai), an Agent Trace file, a dependabot commit and a generated file. Every row of
`guardline report` has data on both sides: AI code with a copy-pasted block, a hard-coded key and SQL
built from input; human code with a copied block, a weak hash and tainted SQL; fix commits over earlier
AI and human lines; AI and human lines reworked within the 14-day churn window; a committed Cobertura
report; commits that pass and fail the gate; weekly trend samples over 14 weeks. Some AI functions are as complex as
some human ones, so the same cognitive complexity is an error for the AI code and a warning for the
human code. Built with git itself; only the demo repository's own config is written.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field

from guardline.git import Git, GitError, git_executable

MARKER_FILE = ".guardline-demo"
MARKER_TEXT = "guardline demo repository: safe to delete (created by `guardline demo`)\n"
START = 1_785_747_600           # Monday 2026-08-03 09:00 UTC; commits spread over the following 13 weeks
DAY = 86_400

ALICE = ("Alice Martin", "alice@shop.example")
BOB = ("Bob Okafor", "bob@shop.example")
CAROL = ("Carol Nguyen", "carol@shop.example")
CURSOR = ("Cursor Agent", "cursoragent@cursor.com")
DAVE = ("Dave Kim", "dave@shop.example")
JANE_AIDER = ("Jane Doe (aider)", "jane@shop.example")
COPILOT = ("Copilot", "198982749+Copilot@users.noreply.github.com")
DEPENDABOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")

PRICING_PY = '''"""Prices and shipping, written by hand."""


def unit_price(item):
    return item.price * (1 - item.discount)


def shipping_cost(order, zones):
    zone = zones.get(order.country)
    if zone is None:
        raise ValueError(f"no shipping to {order.country}")
    cost = zone.base
    for parcel in order.parcels:
        if parcel.weight > zone.free_weight:
            cost += (parcel.weight - zone.free_weight) * zone.per_kg
        if parcel.fragile or parcel.oversized:
            cost += zone.handling
            if order.express:
                cost += zone.handling
        elif parcel.weight == 0:
            continue
        for extra in parcel.extras:
            if extra in zone.extras:
                cost += zone.extras[extra]
    if order.express and cost < zone.express_min:
        cost = zone.express_min
    return round(cost, 2)
'''

ORDERS_PY = '''"""Order validation (written with Claude Code)."""


def validate_order(order, catalog):
    errors = []
    if not order.items:
        return ["order has no items"]
    for item in order.items:
        product = catalog.get(item.sku)
        if product is None:
            errors.append(f"unknown sku {item.sku}")
            continue
        if item.quantity <= 0 or item.quantity > product.max_per_order:
            errors.append(f"bad quantity for {item.sku}")
        elif product.discontinued:
            errors.append(f"{item.sku} is discontinued")
        for option in item.options:
            if option not in product.options:
                errors.append(f"{item.sku}: unknown option {option}")
            elif option == "gift" and not order.shipping_address:
                errors.append("gift wrap needs an address")
    if order.coupon and order.coupon.expired:
        errors.append("coupon expired")
    return errors


def order_total(order):
    return sum(item.price * item.quantity for item in order.items)
'''

PRICING_FIXED = PRICING_PY.replace("        if parcel.weight > zone.free_weight:\n",
                                  "        if parcel.weight >= zone.free_weight:\n")
PRICING_EXEMPT = PRICING_FIXED.replace("        if parcel.weight >= zone.free_weight:\n",
                                       "        if parcel.weight > zone.free_weight and not parcel.exempt:\n")

ORDERS_PY_HUMAN_TAIL = '''

def order_label(order):
    return f"#{order.number} ({len(order.items)} items)"
'''

SHIPPING_HUMAN = '''"""Delivery estimates: the estimate was drafted with an agent (see the git-ai note)."""

HOLIDAYS = {"12-25", "01-01"}


def is_holiday(day):
    return day.strftime("%m-%d") in HOLIDAYS
'''

SHIPPING_AI = '''

def estimate_delivery(order, today, carriers):
    days = 0
    for parcel in order.parcels:
        carrier = carriers.get(parcel.carrier)
        if carrier is None:
            days = max(days, 10)
            continue
        if parcel.express and carrier.express_days:
            days = max(days, carrier.express_days)
        elif parcel.weight > carrier.max_weight:
            days = max(days, carrier.days + 3)
        else:
            days = max(days, carrier.days)
        for stop in carrier.stops:
            if stop.closed_on(today):
                days += 1
            elif stop.busy and not parcel.express:
                days += 1
    if order.country != "home" or order.customs:
        days += 2
    return days
'''

DISCOUNTS_PY = '''"""Loyalty discounts (edited with an agent; see .agent-trace/traces.jsonl)."""


def loyalty_discount(customer, basket):
    rate = 0.0
    if customer.years >= 5:
        rate = 0.1
    elif customer.years >= 2:
        rate = 0.05
    for line in basket.lines:
        if line.excluded:
            continue
        if line.category in customer.favourites and line.quantity > 1:
            rate += 0.01
            if rate > 0.2:
                rate = 0.2
                break
        for tag in line.tags:
            if tag == "clearance" or tag == "final-sale":
                return 0.0
    if customer.blocked:
        return 0.0
    return rate
'''

TAX_PY = '''"""Sales tax, written by hand except the pasted region below."""

RATES = {"standard": 0.2, "reduced": 0.05}


def tax_for(amount, kind="standard"):
    return round(amount * RATES.get(kind, 0.0), 2)


# @ai-start tool=chatgpt (pasted from a chat answer)
def tax_breakdown(lines):
    totals = {}
    for line in lines:
        totals[line.kind] = totals.get(line.kind, 0.0) + tax_for(line.amount, line.kind)
    return totals
# @ai-end
'''

CATALOG_PB2_PY = '''# -*- coding: utf-8 -*-
# Generated by the protocol buffer compiler.  DO NOT EDIT!
# source: catalog.proto
"""Generated protocol buffer code."""
DESCRIPTOR = None
'''

CART_TS = '''// Promotions for the cart (written by the Copilot coding agent).
export interface Line { sku: string; category: string; price: number; quantity: number; tags: string[] }
export interface Cart { lines: Line[]; total: number; date: number; coupon?: string; giftCard?: string }
export interface Promotion {
  sku?: string; category?: string; percent: number; amount: number; minQuantity: number;
  active: boolean; expires: number; stackable: boolean;
}

export function applyPromotions(cart: Cart, promos: Promotion[]): number {
  let discount = 0;
  for (const line of cart.lines) {
    for (const promo of promos) {
      if (!promo.active || promo.expires < cart.date) {
        continue;
      }
      if (promo.sku === line.sku) {
        discount += (line.price * promo.percent) / 100;
        if (promo.stackable) {
          discount += promo.amount;
        }
      } else if (promo.category === line.category && line.quantity >= promo.minQuantity) {
        discount += promo.amount;
      } else {
        discount += 0;
      }
    }
  }
  if (discount > cart.total) {
    discount = cart.total;
  }
  return discount;
}

export function lineCount(cart: Cart): number {
  return cart.lines.length;
}
'''

FORMAT_TS = '''// Formatting helpers, written by hand.
import { Cart } from "./cart";

export function formatMoney(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

export function summarizeCart(cart: Cart): string[] {
  const out: string[] = [];
  for (const line of cart.lines) {
    if (line.quantity === 0) {
      continue;
    }
    if (line.price > 100 && line.quantity > 1) {
      out.push(`${line.sku}: bulk`);
    } else if (line.price > 100) {
      out.push(`${line.sku}: premium`);
    } else {
      for (const tag of line.tags) {
        if (tag.startsWith("sale")) {
          out.push(`${line.sku}: ${tag}`);
        }
      }
    }
  }
  if (cart.coupon || cart.giftCard) {
    out.push("discounts applied");
  }
  return out;
}
'''

STOCK_GO = '''package inventory

import "fmt"

// Item is one stock keeping unit.
type Item struct {
	SKU       string
	Kind      string
	Quantity  int
	Pending   int
	Locked    bool
	Backorder bool
	Parts     []string
}

// Order asks for quantities of SKUs.
type Order struct {
	Lines []Line
}

// Line is one requested SKU.
type Line struct {
	SKU      string
	Quantity int
}

// Reserve takes the order's quantities out of stock (written with Aider).
func Reserve(stock map[string]*Item, order Order) ([]string, error) {
	var missing []string
	for _, line := range order.Lines {
		item, ok := stock[line.SKU]
		if !ok {
			missing = append(missing, line.SKU)
			continue
		}
		if item.Locked || item.Quantity < line.Quantity {
			if item.Backorder {
				item.Pending += line.Quantity
			} else {
				missing = append(missing, line.SKU)
			}
			continue
		}
		switch item.Kind {
		case "bundle":
			for _, part := range item.Parts {
				if stock[part] == nil {
					missing = append(missing, part)
				}
			}
		default:
			item.Quantity -= line.Quantity
		}
	}
	if len(missing) > 0 {
		return missing, fmt.Errorf("missing %d items", len(missing))
	}
	return nil, nil
}
'''

REPORT_GO = '''package inventory

// BuildReport lists low and empty stock, written by hand.
func BuildReport(items []Item, threshold int) []string {
	var lines []string
	for _, item := range items {
		if item.Quantity == 0 {
			lines = append(lines, item.SKU+": out of stock")
		} else if item.Quantity < threshold {
			lines = append(lines, item.SKU+": low")
		}
		if item.Backorder && item.Pending > 0 {
			for _, part := range item.Parts {
				if part == "" {
					continue
				}
				lines = append(lines, "  needs "+part)
			}
		}
	}
	if len(lines) == 0 || threshold < 0 {
		return nil
	}
	return lines
}
'''

REPORTS_PY = '''"""Sales reports (written with Claude Code)."""
import sqlite3

STRIPE_API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9aB2xQ"


def open_sales(path):
    return sqlite3.connect(path)


def daily_sales(db, day):
    cur = db.cursor()
    cur.execute("SELECT sku, quantity, price FROM sales WHERE day = '" + day + "'")
    totals = {}
    for sku, quantity, price in cur.fetchall():
        if quantity <= 0:
            continue
        line_total = quantity * price
        if sku in totals:
            totals[sku] += line_total
        else:
            totals[sku] = line_total
    rows = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return [f"{sku}: {total:.2f}" for sku, total in rows]


def weekly_sales(db, week):
    cur = db.cursor()
    cur.execute("SELECT sku, quantity, price FROM sales WHERE week = '" + week + "'")
    totals = {}
    for sku, quantity, price in cur.fetchall():
        if quantity <= 0:
            continue
        line_total = quantity * price
        if sku in totals:
            totals[sku] += line_total
        else:
            totals[sku] = line_total
    rows = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return [f"{sku}: {total:.2f}" for sku, total in rows]
'''

# Claude Code reworks its own five-day-old lines (churn within the 14-day window); the copy stays a copy.
REPORTS_PY_REWORKED = REPORTS_PY.replace(
    "        if quantity <= 0:\n            continue\n        line_total = quantity * price\n",
    "        if quantity <= 0 or price is None:\n            continue\n        line_total = round(quantity * price, 2)\n")

RETURNS_PY = '''"""Returns window (written by the Cursor agent)."""

RETURN_DAYS = 30


def can_return(order, today):
    if order.final_sale:
        return False
    return (today - order.delivered).days <= RETURN_DAYS
'''

LEGACY_EXPORT_PY = '''"""CSV export kept from the old shop, written by hand."""
import hashlib


def export_orders(orders):
    lines = ["number,total,digest"]
    for order in orders:
        total = sum(item.price * item.quantity for item in order.items)
        digest = hashlib.md5(str(order.number).encode()).hexdigest()
        if total <= 0:
            continue
        lines.append(f"{order.number},{total:.2f},{digest}")
    return "\\n".join(lines)


def export_returns(returns):
    lines = ["number,total,digest"]
    for order in returns:
        total = sum(item.price * item.quantity for item in order.items)
        digest = hashlib.md5(str(order.number).encode()).hexdigest()
        if total <= 0:
            continue
        lines.append(f"{order.number},{total:.2f},{digest}")
    return "\\n".join(lines)
'''

ADMIN_PY = '''"""Support console helpers, written by hand."""


def lookup_customer(db):
    name = input("customer: ")
    return db.execute("SELECT * FROM customers WHERE name = '" + name + "'").fetchall()


def customer_count(db):
    return db.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
'''

RESTOCK_PY = '''"""Restock planning (written with Aider)."""


def plan_restock(stock, orders, suppliers):
    plan = {}
    for order in orders:
        for line in order.lines:
            item = stock.get(line.sku)
            if item is None:
                continue
            if item.quantity < line.quantity:
                for supplier in suppliers:
                    if line.sku in supplier.catalog:
                        if supplier.paused or not supplier.reliable:
                            continue
                        plan[line.sku] = plan.get(line.sku, 0) + line.quantity - item.quantity
                        break
                else:
                    if item.backorder and not order.cancelled:
                        plan[line.sku] = plan.get(line.sku, 0) + line.quantity
    return plan
'''

README = """# guardline demo shop

A small repository whose history mixes human and AI-written code, made by `guardline demo`.
Try `guardline check -v .` here. Evidence in this history:

- `src/shop/orders.py`: a commit with the Claude Code footer and `Co-Authored-By: Claude`;
- `web/cart.ts`: authored by the Copilot coding agent;
- `inventory/stock.go`: authored by Aider (`Jane Doe (aider)`);
- `src/shop/shipping_rules.py`: a git-ai note (`git log --notes=ai`);
- `src/shop/discounts.py`: an Agent Trace record (`.agent-trace/traces.jsonl`);
- `src/shop/tax.py`: a region marked with `@ai-start` / `@ai-end` comments;
- `src/shop/reports.py`: Claude Code again: a copy-pasted block, a hard-coded key and SQL built from
  input, reworked five days later; `src/shop/returns.py`: the Cursor agent; `src/shop/restock.py`: Aider;
- fix commits that touch earlier AI and human lines, a human rework within two weeks, a committed
  Cobertura `coverage.xml`, commits that pass and fail the gate;
- `requirements.txt`: a dependabot commit; `src/shop/catalog_pb2.py`: a generated file;
- everything else: written by people.
"""

CLAUDE_MESSAGE = """Add order validation

Validate quantities, options and coupons before checkout.

🤖 Generated with [Claude Code](https://claude.com/claude-code)

Co-Authored-By: Claude <noreply@anthropic.com>
"""

COPILOT_MESSAGE = """Add cart promotions

Implements percentage and fixed promotions per SKU and category.

Co-authored-by: Alice Martin <alice@shop.example>
"""


@dataclass
class Step:
    day: int
    author: tuple[str, str]
    message: str
    files: dict[str, str] = field(default_factory=dict)
    committer: tuple[str, str] | None = None


def _steps() -> list[Step]:
    return [
        Step(0, ALICE, "Initial shop skeleton", {"README.md": README, MARKER_FILE: MARKER_TEXT,
                                                 "requirements.txt": "requests==2.31.0\n",
                                                 "src/shop/__init__.py": ""}),
        Step(3, ALICE, "Add pricing and shipping cost", {"src/shop/pricing.py": PRICING_PY}),
        Step(8, BOB, CLAUDE_MESSAGE, {"src/shop/orders.py": ORDERS_PY}),
        Step(12, ALICE, "Add cart summary formatting", {"web/format.ts": FORMAT_TS, "web/cart.ts": CART_TS.split(
            "export function applyPromotions")[0]}),
        Step(17, COPILOT, COPILOT_MESSAGE, {"web/cart.ts": CART_TS}),
        Step(22, DAVE, "Add stock report", {"inventory/report.go": REPORT_GO, "inventory/stock.go": STOCK_GO.split(
            "// Reserve takes")[0].rstrip() + "\n"}),
        Step(26, JANE_AIDER, "feat: reserve stock for orders", {"inventory/stock.go": STOCK_GO},
             committer=("Jane Doe", "jane@shop.example")),
        Step(31, DEPENDABOT, "Bump requests from 2.31.0 to 2.32.3\n\nBumps requests.\n",
             {"requirements.txt": "requests==2.32.3\n"}),
        Step(35, CAROL, "Add delivery estimates", {"src/shop/shipping_rules.py": SHIPPING_HUMAN + SHIPPING_AI}),
        Step(40, DAVE, "Add loyalty discounts", {"src/shop/discounts.py": DISCOUNTS_PY}),
        Step(44, BOB, "Add generated catalog messages", {"src/shop/catalog_pb2.py": CATALOG_PB2_PY}),
        Step(49, ALICE, "Add order labels", {"src/shop/orders.py": ORDERS_PY + ORDERS_PY_HUMAN_TAIL}),
        Step(52, BOB, "Add sales tax", {"src/shop/tax.py": TAX_PY}),
        Step(59, BOB, CLAUDE_MESSAGE.replace("Add order validation", "Add sales reports").replace(
            "Validate quantities, options and coupons before checkout.", "Daily and weekly sales lists."),
             {"src/shop/reports.py": REPORTS_PY}),
        Step(62, CURSOR, "Add returns window check", {"src/shop/returns.py": RETURNS_PY}),
        Step(64, BOB, CLAUDE_MESSAGE.replace("Add order validation", "Skip unpriced sales lines").replace(
            "Validate quantities, options and coupons before checkout.", "Round line totals."),
             {"src/shop/reports.py": REPORTS_PY_REWORKED}),
        Step(66, ALICE, "Fix free-weight shipping and cancelled orders (#21)", {
            "src/shop/pricing.py": PRICING_FIXED,
            "src/shop/orders.py": (ORDERS_PY + ORDERS_PY_HUMAN_TAIL).replace(
                "    if not order.items:\n", "    if not order.items or order.cancelled:\n")}),
        Step(70, ALICE, "Exempt parcels from the weight surcharge", {"src/shop/pricing.py": PRICING_EXEMPT}),
        Step(73, ALICE, "fix: a promotion never exceeds the line price (#34)", {"web/cart.ts": CART_TS.replace(
            "discount += (line.price * promo.percent) / 100;",
            "discount += Math.min(line.price, (line.price * promo.percent) / 100);")}),
        Step(77, DAVE, "Keep the legacy CSV export", {"src/shop/legacy_export.py": LEGACY_EXPORT_PY}),
        Step(81, CAROL, "Add support console lookups", {"src/shop/admin.py": ADMIN_PY}),
        Step(84, JANE_AIDER, "feat: restock planning", {"src/shop/restock.py": RESTOCK_PY},
             committer=("Jane Doe", "jane@shop.example")),
        Step(88, DAVE, "Add the CI coverage report", {}),   # coverage.xml: generated from the files at HEAD
        Step(91, DAVE, "Record agent traces", {}),    # files filled in once the discounts sha is known
    ]


def create_demo(path: str, force: bool = False) -> str:
    """Create the demo repository at ``path`` and return its absolute path.

    An existing non-empty folder is replaced only with ``force`` and only when it is a previous demo
    (it holds the demo marker file and a .git folder); any other folder is left alone.
    """
    target = os.path.abspath(path)
    if os.path.isdir(target) and os.listdir(target):
        if not force:
            raise FileExistsError(f"{target} exists and is not empty (use --force to rebuild a demo there)")
        if not looks_like_demo(target):
            raise ValueError(f"refusing to delete {target}: it is not a guardline demo repository")
        shutil.rmtree(target)
    elif os.path.exists(target) and not os.path.isdir(target):
        raise FileExistsError(f"{target} exists and is not a folder")
    os.makedirs(target, exist_ok=True)
    _Builder(target).build()
    return target


def looks_like_demo(path: str) -> bool:
    marker = os.path.join(path, MARKER_FILE)
    try:
        with open(marker, encoding="utf-8") as fh:
            same = fh.read() == MARKER_TEXT
    except OSError:
        return False
    return same and os.path.isdir(os.path.join(path, ".git"))


class _Builder:
    def __init__(self, root: str) -> None:
        self.root = root
        # Never read (or write) the user's global or system config: deterministic and side-effect free.
        self.runner = Git(root, isolated=True)
        if git_executable() is None:
            raise RuntimeError("git is needed to build the demo repository")

    def git(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
        try:
            result = self.runner.result(args, stdin=stdin.encode() if stdin is not None else None, env=env)
        except GitError as exc:
            raise RuntimeError(f"git {args[0]} failed while building the demo: {exc}") from exc
        if not result.ok:
            raise RuntimeError(f"git {args[0]} failed while building the demo: {result.error}")
        return result.text

    def build(self) -> None:
        self.git("init", "-q", "-b", "main")
        for key, value in (("user.name", "guardline demo"), ("user.email", "demo@guardline.invalid"),
                           ("commit.gpgsign", "false"), ("core.autocrlf", "false")):
            self.git("config", "--local", key, value)
        shas: dict[str, str] = {}
        for step in _steps():
            if step.message == "Record agent traces":
                step.files = {".agent-trace/traces.jsonl": _trace_jsonl(shas["discounts"])}
            if step.message == "Add the CI coverage report":
                step.files = {"coverage.xml": _coverage_xml(self.root)}
            sha = self.commit(step)
            if "shipping_rules.py" in "".join(step.files):
                self.add_git_ai_note(sha, step.day)
            if "discounts.py" in "".join(step.files):
                shas["discounts"] = sha

    def commit(self, step: Step) -> str:
        for rel, text in step.files.items():
            full = os.path.join(self.root, *rel.split("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        self.git("add", "--", *step.files)
        stamp = f"{START + step.day * DAY} +0000"
        committer = step.committer or step.author
        self.git("commit", "-q", "--no-verify", "-F", "-", stdin=step.message, env={
            "GIT_AUTHOR_NAME": step.author[0], "GIT_AUTHOR_EMAIL": step.author[1], "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1],
            "GIT_COMMITTER_DATE": stamp})
        return self.git("rev-parse", "HEAD").strip()

    def add_git_ai_note(self, sha: str, day: int) -> None:
        human_lines = SHIPPING_HUMAN.count("\n")
        ai_first = human_lines + 3          # the blank separator lines are not attested
        ai_last = human_lines + SHIPPING_AI.count("\n")
        attestation = (f"src/shop/shipping_rules.py\n  h_5e1f0a 1-{human_lines}\n"
                       f"  s_7c9d2e41::t_0a1b2c3d {ai_first}-{ai_last}\n")
        meta = {"schema_version": "authorship/3.0.0", "base_commit_sha": sha,
                "sessions": {"s_7c9d2e41": {"agent_id": {"tool": "claude", "id": "demo-session",
                                                         "model": "claude-sonnet-4-5"}}},
                "humans": {"h_5e1f0a": {"name": CAROL[0]}}, "prompts": {}}
        stamp = f"{START + day * DAY} +0000"
        self.git("notes", "--ref=ai", "add", "-F", "-", sha, stdin=attestation + "---\n" + json.dumps(meta, indent=2),
                 env={"GIT_AUTHOR_NAME": CAROL[0], "GIT_AUTHOR_EMAIL": CAROL[1], "GIT_AUTHOR_DATE": stamp,
                      "GIT_COMMITTER_NAME": CAROL[0], "GIT_COMMITTER_EMAIL": CAROL[1],
                      "GIT_COMMITTER_DATE": stamp})


COVERED = ("src/shop/pricing.py", "src/shop/orders.py", "src/shop/discounts.py", "src/shop/reports.py",
           "src/shop/returns.py", "src/shop/restock.py", "src/shop/legacy_export.py", "src/shop/admin.py",
           "src/shop/shipping_rules.py")
BRANCH_WORDS = ("if ", "elif ", "for ", "while ")


def _coverage_xml(root: str) -> str:
    """A Cobertura report of the files as they are now: statements and branches, with AI-written files
    (reports, returns, restock, discounts) less covered than the human ones, by a fixed rule."""
    classes = []
    for rel in COVERED:
        with open(os.path.join(root, *rel.split("/")), encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        weak = rel.endswith(("reports.py", "returns.py", "restock.py", "discounts.py"))
        entries = [_coverage_line(number, text.strip(), weak) for number, text in enumerate(lines, start=1)]
        body = "".join(entry for entry in entries if entry)
        classes.append(f'<class name="{rel}" filename="{rel}"><lines>{body}</lines></class>')
    return ('<?xml version="1.0" ?>\n<coverage version="7.6"><sources><source>.</source></sources>'
            '<packages><package name="shop"><classes>' + "".join(classes) + "</classes></package></packages></coverage>\n")


def _coverage_line(number: int, code: str, weak: bool) -> str:
    """One statement's `<line>` (hits, and branch coverage for a branching line); "" for no statement."""
    if not code or code.startswith(("#", '"""', "def ", "import ", "from ")):
        return ""
    hits = 0 if number % (3 if weak else 7) == 0 else 1 + number % 4
    branch = ""
    if code.startswith(BRANCH_WORDS):
        covered = 1 if weak or number % 2 else 2
        branch = f' branch="true" condition-coverage="{50 * covered}% ({covered}/2)"'
    return f'<line number="{number}" hits="{hits}"{branch}/>'


def _trace_jsonl(revision: str) -> str:
    lines = DISCOUNTS_PY.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("def loyalty_discount")) + 1
    end = DISCOUNTS_PY.rstrip("\n").count("\n") + 1
    record = {"version": "0.1.0", "id": "0c8a4f2e-demo", "timestamp": "2026-09-12T10:00:00Z",
              "vcs": {"type": "git", "revision": revision},
              "tool": {"name": "claude-code", "version": "2.0.14"},
              "files": [{"path": "src/shop/discounts.py", "conversations": [{
                  "url": "https://example.invalid/conversation/demo",
                  "contributor": {"type": "ai", "model_id": "anthropic/claude-opus-4-5"},
                  "ranges": [{"start_line": start, "end_line": end}]}]}]}
    return json.dumps(record) + "\n"
