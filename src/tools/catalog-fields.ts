import type { IndexedFields } from './ranking/index.js';
import type { ToolDefinition } from './tool-definition.js';

/** What the ranking knows of a toolkit when it indexes one of its tools. */
export interface ToolkitLabel {
  name: string;
  /** The service's title (`Stripe API`, `CRM cards`). */
  title: string;
}

const MAX_PARAMETER_DESCRIPTION_CHARS = 120;
const MAX_PARAMETER_TEXT_CHARS = 800;

/**
 * A tool as the ranking indexes it, the same for the directory, registered and built-in
 * toolkits so their scores compare: the toolkit's name and title (the name split into words),
 * the action, the description followed by the HTTP method and path (path words name the
 * resource when operation ids do not), and parameter names with the start of their
 * descriptions.
 */
export function toolIndexFields(toolkit: ToolkitLabel, tool: ToolDefinition): IndexedFields {
  const route = tool.binding.kind === 'http' ? ` ${tool.binding.method} ${tool.binding.path}` : '';
  return {
    toolkit: `${toolkit.name.replaceAll('-', ' ')} ${toolkit.title}`,
    action: tool.action,
    description: `${tool.description}${route}`,
    parameters: parameterText(tool.parameters),
  };
}

function parameterText(parameters: Record<string, unknown>): string {
  const properties = parameters.properties;
  if (typeof properties !== 'object' || properties === null) return '';
  let text = '';
  for (const [name, schema] of Object.entries(properties as Record<string, unknown>)) {
    const description =
      typeof schema === 'object' && schema !== null && 'description' in schema
        ? String(schema.description).slice(0, MAX_PARAMETER_DESCRIPTION_CHARS)
        : '';
    text += `${name} ${description} `;
    if (text.length >= MAX_PARAMETER_TEXT_CHARS) break;
  }
  return text.slice(0, MAX_PARAMETER_TEXT_CHARS);
}

/** What the ranking knows of a toolkit when it ranks services rather than tools. */
export interface ToolkitProfile extends ToolkitLabel {
  vendor: string;
  description: string;
  categories: readonly string[];
}

/** A toolkit as the service-level index sees it: names and title weigh most, then its prose. */
export function toolkitIndexFields(toolkit: ToolkitProfile): IndexedFields {
  return {
    toolkit: `${toolkit.name.replaceAll('-', ' ')} ${toolkit.vendor} ${toolkit.title}`,
    action: '',
    description: `${toolkit.description} ${toolkit.categories.join(' ').replaceAll('_', ' ')}`,
  };
}
