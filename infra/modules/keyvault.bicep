@description('Key Vault name.')
param name string

@description('Azure region.')
param location string

param tags object

@description('SMTP password for the alert relay, stored as the secret smtp-password.')
@secure()
param smtpPassword string

@description('Write the secret; false leaves the stored one as it is.')
param writeSmtpPassword bool

@description('Recover the soft-deleted vault of this name (purge protection keeps it for 90 days) instead of creating one.')
param recover bool

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
    createMode: recover ? 'recover' : 'default'
  }
}

// Written only when a password is given, so a redeployment without SMTP_PASSWORD never blanks the stored one.
resource smtp 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (writeSmtpPassword) {
  parent: vault
  name: 'smtp-password'
  properties: { value: smtpPassword }
}

output id string = vault.id
output name string = vault.name
