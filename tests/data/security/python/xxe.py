"""XML external entities (CWE-611): only parsers that really resolve them."""
import xml.sax
from xml.dom import minidom
from xml.etree import ElementTree
from xml.sax.handler import feature_external_ges

import defusedxml.ElementTree as DefusedET
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/lxml")
def parse_lxml():
    parser = etree.XMLParser(resolve_entities=True)  # expect: py-xxe-resolve-entities
    return etree.fromstring(request.data, parser).text


@app.route("/lxml-safe")
def parse_lxml_safe():
    parser = etree.XMLParser(resolve_entities=False, no_network=True)  # ok
    return etree.fromstring(request.data, parser).text  # ok: entities off


@app.route("/sax")
def parse_sax():
    handler = xml.sax.ContentHandler()
    reader = xml.sax.make_parser()
    reader.setFeature(feature_external_ges, True)  # expect: py-xxe-sax-external
    reader.setContentHandler(handler)
    reader.parse(request.stream)
    return "ok"


@app.route("/sax-safe")
def parse_sax_safe():
    reader = xml.sax.make_parser()
    reader.setFeature(feature_external_ges, False)  # ok
    reader.parse(request.stream)
    return "ok"


@app.route("/etree")
def parse_etree():
    return ElementTree.fromstring(request.data).tag  # ok: expat resolves no external entities


@app.route("/minidom")
def parse_minidom():
    return minidom.parseString(request.data).documentElement.tagName  # ok: no external entities


@app.route("/defused")
def parse_defused():
    return DefusedET.fromstring(request.data).tag  # ok: defusedxml
