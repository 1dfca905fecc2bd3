//! The streaming XML reader both export formats are read with: elements, attributes and text
//! one at a time (quick-xml), so a file of any size is read in bounded memory. It never reads
//! a DTD and never resolves an entity beyond XML's five and character references: a
//! `<!DOCTYPE>` is skipped (and noted), an entity it would have defined is an error (no XXE).

use super::ImportError;
use quick_xml::events::Event;
use quick_xml::Reader;
use quick_xml::XmlVersion;
use std::io::BufRead;

/// One step through the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// An element opens (`<a/>` is an `Open` then a `Close`).
    Open(Tag),
    /// The element last opened closes.
    Close(String),
    /// Character data: text, CDATA or one resolved reference.
    Text(String),
    /// The document ended with every element closed.
    End,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// As written, with its prefix (`wp:comment`).
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find_map(|(key, value)| (key == name).then_some(value.as_str()))
    }
}

const NO_DTD: &str = "Colloquy never reads DTDs or external entities";

pub struct XmlReader<R> {
    reader: Reader<R>,
    buf: Vec<u8>,
    /// The names of the open elements, outermost first.
    open: Vec<String>,
    /// Whether the file had a `<!DOCTYPE>` (which was not read).
    pub doctype_skipped: bool,
}

impl<R: BufRead> XmlReader<R> {
    pub fn new(input: R) -> Self {
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        config.trim_text(false);
        XmlReader {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            open: Vec::new(),
            doctype_skipped: false,
        }
    }

    /// The byte offset read up to, for naming where an element is.
    pub fn offset(&self) -> u64 {
        self.reader.buffer_position()
    }

    pub fn next(&mut self) -> Result<Node, ImportError> {
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(error) => {
                    let offset = self.reader.error_position();
                    return Err(malformed(&self.open, offset, error.to_string()));
                }
            };
            match event {
                Event::Start(start) => {
                    let name = start.name().0.to_owned();
                    let mut attrs = Vec::new();
                    for attr in start.attributes() {
                        let attr = attr.map_err(|e| {
                            malformed(&self.open, self.reader.buffer_position(), e.to_string())
                        })?;
                        let value =
                            attr.normalized_value(XmlVersion::Implicit1_0)
                                .map_err(|e| {
                                    malformed(
                                        &self.open,
                                        self.reader.buffer_position(),
                                        format!("{e} ({NO_DTD})"),
                                    )
                                })?;
                        attrs.push((attr.key.0.to_owned(), value.into_owned()));
                    }
                    self.open.push(name.clone());
                    return Ok(Node::Open(Tag { name, attrs }));
                }
                Event::End(end) => {
                    let name = end.name().0.to_owned();
                    self.open.pop();
                    return Ok(Node::Close(name));
                }
                Event::Text(text) => {
                    if self.open.is_empty() {
                        if text.trim().is_empty() {
                            continue;
                        }
                        return Err(malformed(
                            &self.open,
                            self.reader.buffer_position(),
                            "text outside the root element: this is not an XML export",
                        ));
                    }
                    return Ok(Node::Text(text.xml10_content().into_owned()));
                }
                Event::CData(data) => return Ok(Node::Text(data.xml10_content().into_owned())),
                Event::GeneralRef(reference) => {
                    let offset = self.reader.buffer_position();
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => match &*reference {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => {
                                let message = format!(
                                    "the entity &{other}; is not one of XML's own; {NO_DTD}"
                                );
                                return Err(malformed(&self.open, offset, message));
                            }
                        },
                        Err(e) => return Err(malformed(&self.open, offset, e.to_string())),
                    };
                    return Ok(Node::Text(resolved.to_string()));
                }
                Event::DocType(_) => self.doctype_skipped = true,
                Event::Eof => {
                    if self.open.is_empty() {
                        return Ok(Node::End);
                    }
                    return Err(malformed(
                        &self.open,
                        self.reader.buffer_position(),
                        format!(
                            "the file ends inside <{}>: it is truncated",
                            self.open.last().map_or("", String::as_str)
                        ),
                    ));
                }
                // `<a/>` arrives as a start and an end (`expand_empty_elements`).
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
    }

    /// The text of the element just opened, up to its end (text of elements inside it
    /// included), leaving the reader after its closing tag.
    pub fn text(&mut self) -> Result<String, ImportError> {
        let mut out = String::new();
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Node::Open(_) => depth += 1,
                Node::Close(_) if depth == 0 => return Ok(out),
                Node::Close(_) => depth -= 1,
                Node::Text(text) => out.push_str(&text),
                Node::End => unreachable!("the element just opened is still open"),
            }
        }
    }

    /// Skips the rest of the element just opened.
    pub fn skip(&mut self) -> Result<(), ImportError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Node::Open(_) => depth += 1,
                Node::Close(_) if depth == 0 => return Ok(()),
                Node::Close(_) => depth -= 1,
                Node::Text(_) => {}
                Node::End => unreachable!("the element just opened is still open"),
            }
        }
    }

    /// The first element of the document (skipping the declaration, comments and a DTD).
    pub fn root(&mut self) -> Result<Tag, ImportError> {
        match self.next()? {
            Node::Open(tag) => Ok(tag),
            _ => Err(ImportError::UnknownFormat(
                "it holds no XML element".to_owned(),
            )),
        }
    }
}

fn malformed(open: &[String], offset: u64, message: impl Into<String>) -> ImportError {
    ImportError::Malformed {
        offset,
        element: open
            .last()
            .map_or("the document", String::as_str)
            .to_owned(),
        message: message.into(),
    }
}
