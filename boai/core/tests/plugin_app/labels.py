AUDIT_LABELS = {"plugin_app.parcel.counted": "Parcels counted"}
