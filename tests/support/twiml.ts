// TwiML read structurally in tests, with the phone network's own XML reader (the same one that plays
// our TwiML to the simulated citizen): elements with attributes, their child elements and their text.
import { elementsOf, parseXml as readXml, textOf, type XmlElement } from '../../tools/phone-network/twiml';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function toNode(e: XmlElement): XmlNode {
  return { name: e.name, attrs: e.attrs, children: elementsOf(e).map(toNode), text: textOf(e) };
}

export function parseXml(xml: string): XmlNode {
  return toNode(readXml(xml));
}

export function findAll(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (n: XmlNode) => {
    if (n.name === name) out.push(n);
    n.children.forEach(walk);
  };
  walk(node);
  return out;
}
