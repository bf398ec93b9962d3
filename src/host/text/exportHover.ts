/**
 * Hover on a field of export text: the column's name, type, whether the template version lets it be
 * empty, its meaning from the template catalog, and the value (or that it is null).
 */
import * as vscode from 'vscode';
import { detectVersion } from '../../core/catalog/detect';
import { columnSpec, templateVersion, versionColumnFor } from '../../core/catalog/templates';
import type { TemplateChoices } from '../templates/templateChoice';
import { exportHeader, fieldHoverMarkdown, fieldsOfLine } from './textParts';
import { sourceOf } from './textView';

export class ExportHover implements vscode.HoverProvider {
  constructor(private readonly templates: TemplateChoices) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const header = exportHeader(doc.lineAt(0).text);
    if (!header) return undefined;
    const text = doc.lineAt(pos.line).text;
    const bom = pos.line === 0 && text.startsWith('\uFEFF') ? 1 : 0;
    const fields = fieldsOfLine(text.slice(bom), header.delimiter);
    const k = fields.findIndex((f) => pos.character - bom >= f.start && pos.character - bom <= f.end);
    if (k < 0) return undefined;
    const f = fields[k];
    const range = new vscode.Range(pos.line, f.start + bom, pos.line, f.end + bom);
    const name = header.names[k];
    if (name === undefined)
      return new vscode.Hover(`Field ${k + 1}: past the ${header.names.length} columns of the header`, range);
    const choice = this.templates.choice(sourceOf(doc.uri) ?? doc.uri);
    const detected = detectVersion(header.names, (sourceOf(doc.uri) ?? doc.uri).fsPath);
    // a choice made for the other feed does not apply (see chooseVersion)
    const version = templateVersion(
      choice === 'auto' || templateVersion(choice).feed !== detected.feed ? detected.detected : choice,
    );
    const raw = pos.line > 0 ? text.slice(f.start + bom, f.end + bom) : null;
    const spec = columnSpec(name, version.feed);
    const vc = versionColumnFor(version, name);
    const md = fieldHoverMarkdown({ name, column: k + 1, spec, vc, version: version.id, raw });
    return new vscode.Hover(new vscode.MarkdownString(md), range);
  }
}
