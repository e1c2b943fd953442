//! Article text from an HTML page: the readable text of its body, one
//! paragraph per line, without scripts, styles, navigation, page header
//! and footer, forms and asides; the publication date from
//! `<meta property="article:published_time">` or the first `<time
//! datetime>`.

use ego_tree::iter::Edge;
use scraper::{Html, Node, Selector};

/// The text and date of an HTML page.
pub struct Page {
    /// One block of text per line, the page's `<h1>` (or `<title>`) first.
    pub text: String,
    /// The publication date as yyyymmdd, when the page states one.
    pub date: Option<u32>,
}

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg",
    "button", "select", "figure",
];

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "article",
    "section",
    "main",
    "blockquote",
    "pre",
    "tr",
    "table",
    "dd",
    "dt",
    "hr",
    "title",
];

/// Extracts a page's text and date. The tree is walked without recursion,
/// so that nesting of any depth is read.
pub fn page(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let mut text = String::with_capacity(html.len() / 2);
    if let Some(title) = first_text(&doc, "h1").or_else(|| first_text(&doc, "title")) {
        text.push_str(&title);
        text.push_str("\n\n");
    }
    let body = doc.tree.root();
    let mut dropped = 0usize;
    let mut line = String::new();
    let mut skipped_h1 = false;
    for edge in body.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    // The headline is already written first.
                    if dropped == 0 && name == "h1" && !skipped_h1 {
                        skipped_h1 = true;
                        dropped += 1;
                    } else if DROPPED.contains(&name) || dropped > 0 {
                        dropped += 1;
                    } else if BLOCKS.contains(&name) {
                        end_line(&mut text, &mut line);
                    }
                }
                Node::Text(t) if dropped == 0 => line.push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if dropped > 0 {
                        dropped -= 1;
                    } else if BLOCKS.contains(&e.name()) {
                        end_line(&mut text, &mut line);
                    }
                }
            }
        }
    }
    end_line(&mut text, &mut line);
    Page { text, date: date(&doc) }
}

/// Adds the pending line, its white space collapsed, as a paragraph.
fn end_line(text: &mut String, line: &mut String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    if !words.is_empty() {
        text.push_str(&words.join(" "));
        text.push('\n');
    }
    line.clear();
}

fn first_text(doc: &Html, selector: &str) -> Option<String> {
    let selector = Selector::parse(selector).expect("a valid selector");
    let element = doc.select(&selector).next()?;
    let words: Vec<&str> = element.text().flat_map(str::split_whitespace).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The publication date the page declares.
fn date(doc: &Html) -> Option<u32> {
    let meta = Selector::parse(r#"meta[property="article:published_time"], meta[name="article:published_time"]"#)
        .expect("a valid selector");
    let time = Selector::parse("time[datetime]").expect("a valid selector");
    doc.select(&meta)
        .filter_map(|m| m.value().attr("content"))
        .chain(doc.select(&time).filter_map(|t| t.value().attr("datetime")))
        .find_map(crate::date::parse_iso_date_time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_without_furniture() {
        let html = r#"<!DOCTYPE html><html><head><title>Site | Talks</title>
            <meta property="article:published_time" content="2025-02-18T09:30:00Z">
            <script>var x = "Russia demands";</script><style>p { color: red }</style></head>
            <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <header>Daily News</header>
            <article><h1>Russia and US meet in Riyadh</h1>
            <p>The Kremlin   demanded that <b>Ukraine</b> withdraw its bid to join NATO.</p>
            <div>Ukraine rejected the demand.<br>Talks go on.</div></article>
            <aside>Related: other news</aside><footer>© Daily News</footer></body></html>"#;
        let page = page(html);
        assert_eq!(
            page.text,
            "Russia and US meet in Riyadh\n\nThe Kremlin demanded that Ukraine withdraw its bid to join NATO.\nUkraine rejected the demand.\nTalks go on.\n"
        );
        assert_eq!(page.date, Some(20250218));
    }

    #[test]
    fn time_element_dates_the_page_and_title_stands_in_for_h1() {
        let html = r#"<html><head><title>Ceasefire holds</title></head><body>
            <p>Posted <time datetime="2024-11-26">Tuesday</time></p><p>Israel accepted.</p></body></html>"#;
        let page = page(html);
        assert_eq!(page.text, "Ceasefire holds\n\nPosted Tuesday\nIsrael accepted.\n");
        assert_eq!(page.date, Some(20241126));
    }

    #[test]
    fn deep_nesting_is_read() {
        let html = format!(
            "{}Hamas rejected the plan.{}",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        assert_eq!(page(&html).text, "Hamas rejected the plan.\n");
    }
}
