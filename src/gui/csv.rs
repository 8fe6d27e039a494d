//! The phones table as CSV, one row per line and phones grouped by MAC
//! (`mac,model,extension,auth_name,password,display_name`): export, and an
//! all-or-nothing import that merges into the table.

use std::str::FromStr;

use convert79xx::model::PhoneModel;
use serde::{Deserialize, Serialize};

use super::form::{Form, LineForm, PhoneForm, check_mac};
use convert79xx::msg::Msg;

#[derive(Serialize, Deserialize)]
struct CsvRow {
    mac: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    extension: String,
    #[serde(default)]
    auth_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    display_name: String,
}

impl CsvRow {
    fn line(&self) -> LineForm {
        LineForm::typed(
            &self.extension,
            &self.auth_name,
            &self.password,
            &self.display_name,
        )
    }
}

impl Form {
    pub fn phones_to_csv(&self) -> Result<Vec<u8>, String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for phone in &self.phones {
            let model = phone
                .model
                .map(|m| m.number().to_owned())
                .unwrap_or_default();
            let lines = if phone.lines.is_empty() {
                vec![LineForm::default()]
            } else {
                phone.lines.clone()
            };
            for line in lines {
                w.serialize(CsvRow {
                    mac: phone.mac.clone(),
                    model: model.clone(),
                    extension: line.extension,
                    auth_name: line.auth_name,
                    password: line.password,
                    display_name: line.display_name,
                })
                .map_err(|e| e.to_string())?;
            }
        }
        w.into_inner().map_err(|e| e.to_string())
    }

    /// Merge phones from CSV (header `mac,model,extension,auth_name,password,display_name`).
    /// Rows with the same MAC add lines to one phone. Returns phones added.
    /// All or nothing: a bad row leaves the table as it was.
    pub fn import_csv(&mut self, bytes: &[u8]) -> Result<usize, Msg> {
        let mut merged = self.clone();
        let added = merged.merge_csv(bytes)?;
        *self = merged;
        Ok(added)
    }

    fn merge_csv(&mut self, bytes: &[u8]) -> Result<usize, Msg> {
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let mut added = 0;
        // the table's MACs, parsed once: a row names a phone in any spelling
        let mut macs = self.macs();
        for (i, row) in r.deserialize::<CsvRow>().enumerate() {
            // the reader's own words (a malformed row) are shown as they are
            let in_row = |error: Msg| convert79xx::msg!("gui.csv.row", "row {n}: {error}", n = i + 2, error => error);
            let row = row.map_err(|e| in_row(Msg::verbatim(e.to_string())))?;
            let mac = check_mac(&row.mac).map_err(in_row)?;
            let model = if row.model.is_empty() {
                None
            } else {
                Some(PhoneModel::from_str(&row.model).map_err(in_row)?)
            };
            let index = match macs.iter().position(|m| *m == Some(mac)) {
                Some(i) => i,
                None => {
                    self.phones.push(PhoneForm {
                        mac: mac.colon().to_uppercase(),
                        model,
                        from: String::new(),
                        lines: Vec::new(),
                        origin: None,
                    });
                    macs.push(Some(mac));
                    added += 1;
                    self.phones.len() - 1
                }
            };
            let phone = &mut self.phones[index];
            if model.is_some() {
                phone.model = model;
            }
            let line = row.line();
            if line != LineForm::default() {
                phone.lines.push(line);
            }
        }
        Ok(added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::form::tests::sample;

    #[test]
    fn csv_round_trip_groups_lines_by_mac() {
        let mut f = sample();
        f.phones[0].lines.push(LineForm {
            extension: "102".into(),
            ..LineForm::default()
        });
        let bytes = f.phones_to_csv().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.starts_with("mac,model,extension,auth_name,password,display_name"),
            "{text}"
        );
        let mut g = Form::default();
        assert_eq!(g.import_csv(&bytes).unwrap(), 3);
        assert_eq!(g.phones[0].lines.len(), 2);
        assert_eq!(g.phones[1].model, Some(PhoneModel::Cp7940));
        let err = g.import_csv(b"mac,extension\nnot-a-mac,1\n").unwrap_err();
        assert!(err.to_string().starts_with("row 2:"), "{err}");
        let before = g.clone();
        let err = g
            .import_csv(b"mac,extension\n00:1e:4a:00:00:01,1\n00:1e:4a:00:00:0X,2\n")
            .unwrap_err();
        assert!(err.to_string().starts_with("row 3:"), "{err}");
        assert_eq!(g, before, "a bad row must leave the table as it was");
    }
}
