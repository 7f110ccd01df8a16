// Validates 2030.5 XML bodies against ../shared/conformance/sep2/sep.xsd with libxml2 (libxml2-wasm).
import { readFileSync } from 'node:fs';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { conformancePath } from './conformance.js';

let validator: XsdValidator | undefined;

function sepValidator(): XsdValidator {
  if (!validator) validator = XsdValidator.fromDoc(XmlDocument.fromString(readFileSync(conformancePath('sep2', 'sep.xsd'), 'utf8')));
  return validator;
}

/** Throws with libxml2's messages when `xml` is not a valid IEEE 2030.5 document. */
export function assertValidSep(xml: string): void {
  const document = XmlDocument.fromString(xml);
  try {
    sepValidator().validate(document);
  } catch (error) {
    const details = (error as { details?: Array<{ message: string }> }).details?.map((detail) => detail.message.trim()).join('; ');
    throw new Error(`not valid against sep.xsd: ${details ?? (error as Error).message}\n${xml}`);
  } finally {
    document.dispose();
  }
}
